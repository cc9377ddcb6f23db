import 'server-only';
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { serverKeys, users } from '@/db/schema';
import { inEnvironment } from '@/core/environments';

/** What the dashboard may see of a server key: no hash, and the plaintext never existed here. */
export type ServerKeyDto = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  createdByEmail: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** One environment's keys (Production when none is named): active keys first, newest first. */
export async function listServerKeys(db: Executor, { copilotId, environmentId }: { copilotId: string; environmentId?: string }): Promise<ServerKeyDto[]> {
  const rows = await db
    .select({
      id: serverKeys.id,
      name: serverKeys.name,
      prefix: serverKeys.prefix,
      createdAt: serverKeys.createdAt,
      createdByEmail: users.email,
      lastUsedAt: serverKeys.lastUsedAt,
      revokedAt: serverKeys.revokedAt,
    })
    .from(serverKeys)
    .leftJoin(users, eq(users.id, serverKeys.createdBy))
    .where(and(eq(serverKeys.copilotId, copilotId), inEnvironment(serverKeys.environmentId, { copilotId, environmentId })))
    .orderBy(desc(serverKeys.createdAt));
  return rows.sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null));
}

/** Active keys of one environment (the limit is per environment). */
export async function countActiveServerKeys(db: Executor, { copilotId, environmentId }: { copilotId: string; environmentId: string }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(serverKeys)
    .where(and(eq(serverKeys.copilotId, copilotId), eq(serverKeys.environmentId, environmentId), isNull(serverKeys.revokedAt)));
  return Number(row?.n ?? 0);
}
