'use server';

import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { modelSettings } from '@/db/schema';
import { fail, ok, stale, type ActionResult } from '@/core/action-result';
import { encryptModelKey } from '@/core/model/model-key';
import { modelBaseUrlProblem } from '@/core/model/model-endpoint';
import { operatorNetworkPolicy } from '@/core/upstream/network-policy';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction, hasRole, recentAuthProblem } from '@/lib/auth/guard';
import { maskedPreview } from '@/lib/headers/preview';
import { modelSchema } from './schema';

const STALE = 'The model settings were changed by someone else. Reload to see their version; what you typed stays here.';

type Current = { baseUrl: string | null; version: number; hasKey: boolean };

/** Locks the copilot's settings row (or, while there is none, the copilot's slot for one) for this transaction. */
async function lockSettings(tx: Tx, copilotId: string): Promise<Current | null> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`model-settings:${copilotId}`}, 0))`);
  const [row] = await tx
    .select({ baseUrl: modelSettings.baseUrl, version: modelSettings.version, hasKey: sql<boolean>`${modelSettings.apiKeyCiphertext} is not null` })
    .from(modelSettings)
    .where(eq(modelSettings.copilotId, copilotId))
    .for('update');
  return row ?? null;
}

function originOf(url: string | null): string | null {
  return url ? new URL(url).origin : null;
}

/**
 * The Model tab's one save: endpoint, model, key, prompt and steps in one transaction and one version.
 * Changing the endpoint decides where the API key is sent: the URL is checked first, then the caller
 * must be an owner with a recently confirmed password. Moving to another origin removes the stored key
 * (it was entered for the old endpoint, and its encryption is bound to that origin) unless a new key
 * comes with the move, so a key never goes to a host it wasn't entered for.
 */
export const saveModelAction = copilotAction('admin', modelSchema, async (ctx, input) => {
  const { db, user, copilotId, role } = ctx;
  const [stored] = await db.select({ baseUrl: modelSettings.baseUrl }).from(modelSettings).where(eq(modelSettings.copilotId, copilotId));
  const endpointChanged = input.baseUrl !== (stored?.baseUrl ?? null);
  if (endpointChanged) {
    const problem = modelBaseUrlProblem(input.baseUrl, operatorNetworkPolicy());
    if (problem) return fail('Please fix the highlighted fields.', { baseUrl: [problem] });
    if (!hasRole(role, 'owner')) return fail('Please fix the highlighted fields.', { baseUrl: ['Only owners change the endpoint: it decides where the API key is sent'] });
    const reauth = await recentAuthProblem(ctx);
    if (reauth) return reauth;
  }
  return db.transaction(async (tx): Promise<ActionResult<{ version: number; keyRemoved: boolean }>> => {
    const current = await lockSettings(tx, copilotId);
    if ((current?.version ?? 0) !== input.expectedVersion) return stale(STALE);
    const movedAway = endpointChanged && originOf(current?.baseUrl ?? null) !== originOf(input.baseUrl);
    const keyRemoved = Boolean(current?.hasKey) && movedAway && !input.apiKey;
    let keyColumns = {};
    if (input.apiKey) {
      const { ciphertext, keyVersion } = encryptModelKey(input.apiKey, { copilotId, baseUrl: input.baseUrl });
      keyColumns = { apiKeyCiphertext: ciphertext, apiKeyVersion: keyVersion, apiKeyPreview: maskedPreview('api_key', input.apiKey) };
    } else if (input.removeApiKey || keyRemoved) {
      keyColumns = { apiKeyCiphertext: null, apiKeyVersion: null, apiKeyPreview: null };
    }
    const version = (current?.version ?? 0) + 1;
    const values = { baseUrl: input.baseUrl, model: input.model, systemPrompt: input.systemPrompt, maxSteps: input.maxSteps, version, updatedAt: new Date(), updatedBy: user.id, ...keyColumns };
    if (current) await tx.update(modelSettings).set(values).where(eq(modelSettings.copilotId, copilotId));
    else await tx.insert(modelSettings).values({ copilotId, ...values });
    await bumpRuntimeGeneration(tx, { copilotId });
    if (endpointChanged) {
      await recordAudit(tx, {
        copilotId,
        actor: user,
        action: 'model.endpoint_update',
        target: originOf(input.baseUrl),
        metadata: { endpointBefore: current?.baseUrl ?? null, endpointAfter: input.baseUrl, keyRemoved, version },
      });
    }
    await recordAudit(tx, {
      copilotId,
      actor: user,
      action: 'model.settings_update',
      target: input.model,
      metadata: { keyReplaced: Boolean(input.apiKey), keyRemoved: keyRemoved || (!input.apiKey && Boolean(input.removeApiKey)), maxSteps: input.maxSteps, version },
    });
    return ok({ version, keyRemoved });
  });
});
