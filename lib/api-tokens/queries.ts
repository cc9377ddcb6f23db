import 'server-only';
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { apiTokens, users } from '@/db/schema';
import { creatorStillEntitled } from './entitlement';

/** What the dashboard may see of an admin API token: no hash; the plaintext was shown once and never stored. */
export type ApiTokenDto = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: Date | null;
  createdAt: Date;
  createdByEmail: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** Past its expiry when listed. */
  expired: boolean;
  /** False once its creator no longer holds a role that could create it: refused from then on ([credentials-follow-people]). */
  creatorEntitled: boolean;
};

/** Active tokens first, newest first. */
export async function listApiTokens(db: Executor, { copilotId }: { copilotId: string }): Promise<ApiTokenDto[]> {
  const rows = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scopes: apiTokens.scopes,
      expiresAt: apiTokens.expiresAt,
      createdAt: apiTokens.createdAt,
      createdByEmail: users.email,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      creatorEntitled: creatorStillEntitled,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdBy))
    .where(eq(apiTokens.copilotId, copilotId))
    .orderBy(desc(apiTokens.createdAt));
  const now = Date.now();
  return rows
    .map((row) => ({ ...row, expired: row.expiresAt !== null && row.expiresAt.getTime() <= now }))
    .sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null));
}

export async function countActiveApiTokens(db: Executor, { copilotId }: { copilotId: string }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(apiTokens)
    .where(and(eq(apiTokens.copilotId, copilotId), isNull(apiTokens.revokedAt)));
  return Number(row?.n ?? 0);
}
