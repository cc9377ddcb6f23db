import 'server-only';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '@/db/client';
import { globalHeaders, users } from '@/db/schema';
import type { HeaderKind } from './schema';
import { inEnvironment } from '@/core/environments';

/** What the headers tab receives: the masked preview and metadata, by construction no value or ciphertext. */
export type HeaderListItem = {
  id: string;
  name: string;
  kind: HeaderKind;
  preview: string;
  version: number;
  /** Which value of the header is current (History numbers values with it). */
  valueNumber: number;
  allowWidgetOverride: boolean;
  scopeHost: string | null;
  scopePathPrefix: string | null;
  updatedAt: Date;
  updatedByEmail: string | null;
  rotatedAt: Date;
  lastUsedAt: Date | null;
  authFailuresSinceRotation: number;
  /** "Rotate every N days", or null. */
  rotationDays: number | null;
  /** The staged value's masked preview, when a rotation is pending. */
  pendingPreview: string | null;
  pendingAt: Date | null;
  /** Status of the last test request sent with the pending value. */
  pendingTestStatus: number | null;
};

const updater = alias(users, 'updater');

/** A list item as PostgreSQL renders it in JSON: timestamps are ISO strings. */
type JsonItem = Omit<HeaderListItem, 'updatedAt' | 'rotatedAt' | 'lastUsedAt' | 'pendingAt'> & { updatedAt: string; rotatedAt: string; lastUsedAt: string | null; pendingAt: string | null };

/**
 * Reads only stored previews: listing never decrypts. The rows come back as one JSON array: the
 * embedded PGlite decodes one JSON document much faster than 13 fields of each of up to 100s of rows.
 */
/** One environment's headers (Production when none is named). */
export async function listHeaders(db: Executor, { copilotId, environmentId }: { copilotId: string; environmentId?: string }): Promise<HeaderListItem[]> {
  const [row] = await db
    .select({
      items: sql<JsonItem[] | null>`json_agg(json_build_object(
        'id', ${globalHeaders.id},
        'name', ${globalHeaders.name},
        'kind', ${globalHeaders.kind},
        'preview', ${globalHeaders.preview},
        'version', ${globalHeaders.version},
        'valueNumber', ${globalHeaders.valueNumber},
        'allowWidgetOverride', ${globalHeaders.allowWidgetOverride},
        'scopeHost', ${globalHeaders.scopeHost},
        'scopePathPrefix', ${globalHeaders.scopePathPrefix},
        'updatedAt', ${globalHeaders.updatedAt},
        'updatedByEmail', ${updater.email},
        'rotatedAt', ${globalHeaders.rotatedAt},
        'lastUsedAt', ${globalHeaders.lastUsedAt},
        'authFailuresSinceRotation', ${globalHeaders.authFailuresSinceRotation},
        'rotationDays', ${globalHeaders.rotationDays},
        'pendingPreview', ${globalHeaders.pendingPreview},
        'pendingAt', ${globalHeaders.pendingAt},
        'pendingTestStatus', ${globalHeaders.pendingTestStatus}
      ) order by ${globalHeaders.name})`,
    })
    .from(globalHeaders)
    .leftJoin(updater, eq(updater.id, globalHeaders.updatedBy))
    .where(and(eq(globalHeaders.copilotId, copilotId), inEnvironment(globalHeaders.environmentId, { copilotId, environmentId })));
  return (row?.items ?? []).map((item) => ({
    id: item.id,
    name: item.name,
    kind: item.kind,
    preview: item.preview,
    version: item.version,
    valueNumber: item.valueNumber,
    allowWidgetOverride: item.allowWidgetOverride,
    scopeHost: item.scopeHost,
    scopePathPrefix: item.scopePathPrefix,
    updatedAt: new Date(item.updatedAt),
    updatedByEmail: item.updatedByEmail,
    rotatedAt: new Date(item.rotatedAt),
    lastUsedAt: item.lastUsedAt === null ? null : new Date(item.lastUsedAt),
    authFailuresSinceRotation: item.authFailuresSinceRotation,
    rotationDays: item.rotationDays,
    pendingPreview: item.pendingPreview,
    pendingAt: item.pendingAt === null ? null : new Date(item.pendingAt),
    pendingTestStatus: item.pendingTestStatus,
  }));
}

/** How many headers one environment holds (the limit is per environment). */
export async function countHeaders(db: Executor, { copilotId, environmentId }: { copilotId: string; environmentId: string }): Promise<number> {
  const [row] = await db.select({ n: count() }).from(globalHeaders).where(and(eq(globalHeaders.copilotId, copilotId), eq(globalHeaders.environmentId, environmentId)));
  return Number(row?.n ?? 0);
}

/** Names and scopes only, of every environment (base URLs are copilot-wide): what the API base URLs card needs to say which credentials a new URL receives. */
export async function listHeaderScopes(db: Executor, { copilotId }: { copilotId: string }): Promise<{ name: string; scopeHost: string | null; scopePathPrefix: string | null }[]> {
  return db
    .select({ name: globalHeaders.name, scopeHost: globalHeaders.scopeHost, scopePathPrefix: globalHeaders.scopePathPrefix })
    .from(globalHeaders)
    .where(eq(globalHeaders.copilotId, copilotId))
    .orderBy(asc(globalHeaders.name));
}
