import 'server-only';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { apiTokens, serverKeys } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { bumpRuntimeGenerations } from '@/core/runtime-generation';
import { recordAudit, type AuditInput } from '@/lib/audit/record';
import { emitWebhookEvent } from '@/core/webhooks/emit';

export type RevokeRequest = {
  /** Whose credentials: every id must name a live credential this person created. */
  personId: string;
  /** Only this copilot's (a removal); null: any copilot (disabling the account). */
  copilotId: string | null;
  serverKeyIds: readonly string[];
  apiTokenIds: readonly string[];
};

type Row = { id: string; copilotId: string; name: string; prefix: string };
export type CheckedRevocation = { serverKeys: Row[]; apiTokens: Row[] };

const NOT_THEIRS = 'A credential in the list is not one this person created here, or is already revoked — reload the page.';

async function lockLive(tx: Tx, table: typeof serverKeys | typeof apiTokens, ids: readonly string[], { personId, copilotId }: RevokeRequest): Promise<Row[]> {
  if (ids.length === 0) return [];
  return tx
    .select({ id: table.id, copilotId: table.copilotId, name: table.name, prefix: table.prefix })
    .from(table)
    .where(and(inArray(table.id, [...ids]), eq(table.createdBy, personId), isNull(table.revokedAt), copilotId ? eq(table.copilotId, copilotId) : undefined))
    .for('update');
}

/**
 * Step 1, before the caller writes anything: locks the credentials to revoke and checks that each id is a
 * live one this person created (on this copilot). Any other id — another copilot's key, someone else's
 * token, a revoked one — refuses the whole request, so the caller changes nothing.
 */
export async function checkRevocation(tx: Tx, request: RevokeRequest): Promise<ActionResult<CheckedRevocation>> {
  const keys = await lockLive(tx, serverKeys, request.serverKeyIds, request);
  const tokens = await lockLive(tx, apiTokens, request.apiTokenIds, request);
  if (keys.length !== request.serverKeyIds.length || tokens.length !== request.apiTokenIds.length) return fail(NOT_THEIRS);
  return ok({ serverKeys: keys, apiTokens: tokens });
}

/**
 * Step 2, in the same transaction: revokes them, one audit event each (`reason` names the removal or the
 * disabling), and bumps the runtime generation of every copilot that lost a server key, so every runtime
 * instance drops the key from memory when the transaction commits (NOTIFY).
 */
export async function revokeChecked(tx: Tx, checked: CheckedRevocation, { actor, reason }: { actor: AuditInput['actor']; reason: 'member.remove' | 'user.disable' }): Promise<void> {
  const now = new Date();
  if (checked.serverKeys.length > 0) {
    await tx.update(serverKeys).set({ revokedAt: now }).where(inArray(serverKeys.id, checked.serverKeys.map((k) => k.id)));
  }
  if (checked.apiTokens.length > 0) {
    await tx.update(apiTokens).set({ revokedAt: now }).where(inArray(apiTokens.id, checked.apiTokens.map((t) => t.id)));
  }
  for (const key of checked.serverKeys) {
    await recordAudit(tx, { copilotId: key.copilotId, actor, action: 'server_key.revoke', target: key.name, metadata: { prefix: key.prefix, reason } });
    await emitWebhookEvent(tx, { copilotId: key.copilotId, type: 'server_key.revoked', data: { actor: actor?.email ?? null, key: { name: key.name, prefix: key.prefix }, reason } });
  }
  for (const token of checked.apiTokens) {
    await recordAudit(tx, { copilotId: token.copilotId, actor, action: 'api_token.revoke', target: token.name, metadata: { tokenId: token.id, prefix: token.prefix, reason } });
  }
  await bumpRuntimeGenerations(tx, [...new Set(checked.serverKeys.map((k) => k.copilotId))]);
}
