'use server';

import { and, eq, isNull, sql } from 'drizzle-orm';
import { serverKeys } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { recordAudit } from '@/lib/audit/record';
import { emitWebhookEvent } from '@/core/webhooks/emit';
import { copilotAction } from '@/lib/auth/guard';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { generateServerKey } from '@/core/server-keys/key';
import { countActiveServerKeys } from './queries';
import { environmentOrProduction, findEnvironment } from '@/lib/environments/production';
import { createServerKeySchema, MAX_ACTIVE_SERVER_KEYS, revokeServerKeySchema } from './schema';

/** Creates a key and returns its plaintext exactly once; only its SHA-256 hash is stored. */
export const createServerKeyAction = copilotAction('admin', createServerKeySchema, async ({ db, user, copilotId }, input) => {
  const key = generateServerKey();
  return db.transaction(async (tx): Promise<ActionResult<{ id: string; key: string; prefix: string }>> => {
    // Serialise key creation per copilot so the active-key limit holds under concurrency.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`server-keys:${copilotId}`}, 0))`);
    const environment = await environmentOrProduction(tx, { copilotId, environmentId: input.environmentId });
    if (!environment) return fail('This environment no longer exists — reload the page.');
    if ((await countActiveServerKeys(tx, { copilotId, environmentId: environment.id })) >= MAX_ACTIVE_SERVER_KEYS) {
      return fail(`An environment can have at most ${MAX_ACTIVE_SERVER_KEYS} active server keys. Revoke one first.`);
    }
    const [row] = await tx
      .insert(serverKeys)
      .values({ copilotId, environmentId: environment.id, name: input.name, prefix: key.prefix, hash: key.hash, createdBy: user.id })
      .returning({ id: serverKeys.id });
    await recordAudit(tx, { copilotId, actor: user, action: 'server_key.create', target: input.name, metadata: { prefix: key.prefix, environment: environment.name } });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok({ id: row!.id, key: key.plaintext, prefix: key.prefix });
  });
});

/** Revokes at once: every runtime instance hears of it (NOTIFY) and refuses the key. Scoped by copilot, so another copilot's key id does nothing. */
export const revokeServerKeyAction = copilotAction('admin', revokeServerKeySchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(serverKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(serverKeys.id, input.keyId), eq(serverKeys.copilotId, copilotId), isNull(serverKeys.revokedAt)))
      .returning({ name: serverKeys.name, prefix: serverKeys.prefix, environmentId: serverKeys.environmentId });
    if (!row) return fail('This key does not exist or is already revoked — reload the page.');
    const environment = await findEnvironment(tx, { copilotId, environmentId: row.environmentId });
    await recordAudit(tx, { copilotId, actor: user, action: 'server_key.revoke', target: row.name, metadata: { prefix: row.prefix, environment: environment?.name ?? null } });
    await emitWebhookEvent(tx, { copilotId, type: 'server_key.revoked', data: { actor: user.email, key: { name: row.name, prefix: row.prefix }, reason: null } });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok(undefined);
  });
});
