import 'server-only';
import { and, asc, eq, gt, isNull, or, type SQL } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { apiTokens, copilots, serverKeys } from '@/db/schema';
import type { CredentialKind } from './schema';

/** What the remove/disable dialogs show of a credential someone created: never its secret or hash. */
export type CreatedCredentialDto = {
  kind: CredentialKind;
  id: string;
  name: string;
  prefix: string;
  copilotId: string;
  copilotName: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
};

type Filter = { copilotId?: string; createdBy?: string };

function where(table: typeof serverKeys | typeof apiTokens, { copilotId, createdBy }: Filter): SQL | undefined {
  return and(isNull(table.revokedAt), copilotId ? eq(table.copilotId, copilotId) : undefined, createdBy ? eq(table.createdBy, createdBy) : undefined);
}

/**
 * Live server keys and admin API tokens (not revoked; tokens not expired) that a known person created, on
 * one copilot or all of them, oldest first per kind. Server keys first: they keep working after their
 * creator leaves unless revoked ([credentials-follow-people]).
 */
export async function listCreatedCredentials(db: Executor, filter: Filter): Promise<CreatedCredentialDto[]> {
  const common = { copilotName: copilots.name } as const;
  const [keys, tokens] = await Promise.all([
    db
      .select({ id: serverKeys.id, name: serverKeys.name, prefix: serverKeys.prefix, copilotId: serverKeys.copilotId, createdBy: serverKeys.createdBy, createdAt: serverKeys.createdAt, lastUsedAt: serverKeys.lastUsedAt, ...common })
      .from(serverKeys)
      .innerJoin(copilots, eq(copilots.id, serverKeys.copilotId))
      .where(where(serverKeys, filter))
      .orderBy(asc(copilots.name), asc(serverKeys.createdAt)),
    db
      .select({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix, copilotId: apiTokens.copilotId, createdBy: apiTokens.createdBy, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, ...common })
      .from(apiTokens)
      .innerJoin(copilots, eq(copilots.id, apiTokens.copilotId))
      .where(and(where(apiTokens, filter), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, new Date()))))
      .orderBy(asc(copilots.name), asc(apiTokens.createdAt)),
  ]);
  const known = <R extends { createdBy: string | null }>(row: R): row is R & { createdBy: string } => row.createdBy !== null;
  return [
    ...keys.filter(known).map((row) => ({ ...row, kind: 'server_key' as const })),
    ...tokens.filter(known).map((row) => ({ ...row, kind: 'api_token' as const })),
  ];
}

/** The same list grouped by creator, for a table of people. */
export function groupByCreator(credentials: readonly CreatedCredentialDto[]): Record<string, CreatedCredentialDto[]> {
  const groups: Record<string, CreatedCredentialDto[]> = {};
  for (const credential of credentials) (groups[credential.createdBy] ??= []).push(credential);
  return groups;
}
