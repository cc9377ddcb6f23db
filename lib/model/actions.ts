'use server';

import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { modelSettings } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { encryptModelKey } from '@/core/engine/model-key';
import { modelBaseUrlProblem } from '@/core/engine/model-endpoint';
import { operatorNetworkPolicy } from '@/core/upstream/network-policy';
import { bumpRuntimeGeneration } from '@/core/runtime/generation';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction } from '@/lib/auth/guard';
import { maskedPreview } from '@/lib/headers/preview';
import { modelEndpointSchema, modelSettingsSchema } from './schema';

const STALE = 'The model settings were changed by someone else — reload to see the latest version.';

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
 * Sets where the model runs. Owner-only: it decides where the API key is sent. Moving to another
 * origin removes the stored key (it was entered for the old endpoint, and its encryption is bound to
 * that origin), so a key never goes to a host it wasn't entered for.
 */
export const updateModelEndpointAction = copilotAction(
  'owner',
  modelEndpointSchema,
  async ({ db, user, copilotId }, input) => {
    const problem = modelBaseUrlProblem(input.baseUrl, operatorNetworkPolicy());
    if (problem) return fail('Please fix the highlighted fields.', { baseUrl: [problem] });
    return db.transaction(async (tx): Promise<ActionResult<{ version: number; keyRemoved: boolean }>> => {
      const current = await lockSettings(tx, copilotId);
      if ((current?.version ?? 0) !== input.expectedVersion) return fail(STALE);
      const keyRemoved = Boolean(current?.hasKey) && originOf(current!.baseUrl) !== originOf(input.baseUrl);
      const version = (current?.version ?? 0) + 1;
      const values = {
        baseUrl: input.baseUrl,
        version,
        updatedAt: new Date(),
        updatedBy: user.id,
        ...(keyRemoved ? { apiKeyCiphertext: null, apiKeyVersion: null, apiKeyPreview: null } : {}),
      };
      if (current) await tx.update(modelSettings).set(values).where(eq(modelSettings.copilotId, copilotId));
      else await tx.insert(modelSettings).values({ copilotId, ...values });
      await bumpRuntimeGeneration(tx, { copilotId });
      await recordAudit(tx, {
        copilotId,
        actor: user,
        action: 'model.endpoint_update',
        target: originOf(input.baseUrl),
        metadata: { endpointBefore: current?.baseUrl ?? null, endpointAfter: input.baseUrl, keyRemoved, version },
      });
      return ok({ version, keyRemoved });
    });
  },
  // Where the model key is sent is a destination for a secret, like the API base URLs.
  { recentAuth: true },
);

/** Model name, system prompt, max steps and the API key (write-only). Admins. */
export const updateModelSettingsAction = copilotAction('admin', modelSettingsSchema, async ({ db, user, copilotId }, input) => {
  return db.transaction(async (tx): Promise<ActionResult<{ version: number }>> => {
    const current = await lockSettings(tx, copilotId);
    if ((current?.version ?? 0) !== input.expectedVersion) return fail(STALE);
    let keyColumns = {};
    if (input.apiKey) {
      if (!current?.baseUrl) return fail('Please fix the highlighted fields.', { apiKey: ['An owner must set the model endpoint first: the key is only ever sent there'] });
      const { ciphertext, keyVersion } = encryptModelKey(input.apiKey, { copilotId, baseUrl: current.baseUrl });
      keyColumns = { apiKeyCiphertext: ciphertext, apiKeyVersion: keyVersion, apiKeyPreview: maskedPreview('api_key', input.apiKey) };
    } else if (input.removeApiKey) {
      keyColumns = { apiKeyCiphertext: null, apiKeyVersion: null, apiKeyPreview: null };
    }
    const version = (current?.version ?? 0) + 1;
    const values = { model: input.model, systemPrompt: input.systemPrompt, maxSteps: input.maxSteps, version, updatedAt: new Date(), updatedBy: user.id, ...keyColumns };
    if (current) await tx.update(modelSettings).set(values).where(eq(modelSettings.copilotId, copilotId));
    else await tx.insert(modelSettings).values({ copilotId, ...values });
    await bumpRuntimeGeneration(tx, { copilotId });
    await recordAudit(tx, {
      copilotId,
      actor: user,
      action: 'model.settings_update',
      target: input.model,
      metadata: { keyReplaced: Boolean(input.apiKey), keyRemoved: !input.apiKey && Boolean(input.removeApiKey), maxSteps: input.maxSteps, version },
    });
    return ok({ version });
  });
});
