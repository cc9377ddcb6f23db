import 'server-only';
import { eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '@/db/client';
import { modelSettings, users } from '@/db/schema';

/** What the Model tab receives: the key only as a masked preview, by construction no ciphertext. */
export type ModelSettingsDto = {
  baseUrl: string | null;
  model: string | null;
  apiKeyPreview: string | null;
  systemPrompt: string;
  maxSteps: number;
  /** 0 while nothing was saved. */
  version: number;
  updatedAt: Date | null;
  updatedByEmail: string | null;
  /** The endpoint answers chats once both are set (a key is optional: local servers need none). */
  configured: boolean;
};

const updater = alias(users, 'updater');

export const DEFAULT_MAX_STEPS = 5;

export async function getModelSettings(db: Executor, { copilotId }: { copilotId: string }): Promise<ModelSettingsDto> {
  const [row] = await db
    .select({
      baseUrl: modelSettings.baseUrl,
      model: modelSettings.model,
      apiKeyPreview: modelSettings.apiKeyPreview,
      systemPrompt: modelSettings.systemPrompt,
      maxSteps: modelSettings.maxSteps,
      version: modelSettings.version,
      updatedAt: modelSettings.updatedAt,
      updatedByEmail: updater.email,
    })
    .from(modelSettings)
    .leftJoin(updater, eq(updater.id, modelSettings.updatedBy))
    .where(eq(modelSettings.copilotId, copilotId));
  if (!row) {
    return { baseUrl: null, model: null, apiKeyPreview: null, systemPrompt: '', maxSteps: DEFAULT_MAX_STEPS, version: 0, updatedAt: null, updatedByEmail: null, configured: false };
  }
  return { ...row, configured: Boolean(row.baseUrl && row.model) };
}
