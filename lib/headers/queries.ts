import 'server-only';
import { asc, count, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '@/db/client';
import { globalHeaders, users } from '@/db/schema';
import type { HeaderKind } from './schema';

/** What the headers tab receives: the masked preview and metadata, by construction no value or ciphertext. */
export type HeaderListItem = {
  id: string;
  name: string;
  kind: HeaderKind;
  preview: string;
  version: number;
  allowWidgetOverride: boolean;
  scopeHost: string | null;
  scopePathPrefix: string | null;
  updatedAt: Date;
  updatedByEmail: string | null;
  rotatedAt: Date;
  lastUsedAt: Date | null;
  authFailuresSinceRotation: number;
};

const updater = alias(users, 'updater');

/** Reads only stored previews: listing never decrypts. */
export async function listHeaders(db: Executor, { copilotId }: { copilotId: string }): Promise<HeaderListItem[]> {
  return db
    .select({
      id: globalHeaders.id,
      name: globalHeaders.name,
      kind: globalHeaders.kind,
      preview: globalHeaders.preview,
      version: globalHeaders.version,
      allowWidgetOverride: globalHeaders.allowWidgetOverride,
      scopeHost: globalHeaders.scopeHost,
      scopePathPrefix: globalHeaders.scopePathPrefix,
      updatedAt: globalHeaders.updatedAt,
      updatedByEmail: updater.email,
      rotatedAt: globalHeaders.rotatedAt,
      lastUsedAt: globalHeaders.lastUsedAt,
      authFailuresSinceRotation: globalHeaders.authFailuresSinceRotation,
    })
    .from(globalHeaders)
    .leftJoin(updater, eq(updater.id, globalHeaders.updatedBy))
    .where(eq(globalHeaders.copilotId, copilotId))
    .orderBy(asc(globalHeaders.name));
}

export async function countHeaders(db: Executor, { copilotId }: { copilotId: string }): Promise<number> {
  const [row] = await db.select({ n: count() }).from(globalHeaders).where(eq(globalHeaders.copilotId, copilotId));
  return Number(row?.n ?? 0);
}
