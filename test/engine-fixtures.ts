// Seeds for the chat-engine tests: model settings and enabled operations written straight to the
// database (the key encrypted exactly as the Model tab's action does), and a chat client that reads SSE.
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { apiOperations, copilots, modelSettings } from '@/db/schema';
import { encryptModelKey } from '@/core/model/model-key';
import { encryptRefreshSecret } from '@/core/refresh-hook';
import { maskedPreview } from '@/lib/headers/preview';

export async function configureModel(copilotId: string, { baseUrl, model = 'fake-model', apiKey = null, systemPrompt = '', maxSteps = 5 }: { baseUrl: string; model?: string; apiKey?: string | null; systemPrompt?: string; maxSteps?: number }): Promise<void> {
  const db = await getDb();
  const key = apiKey ? encryptModelKey(apiKey, { copilotId, baseUrl }) : null;
  await db.insert(modelSettings).values({
    copilotId,
    baseUrl,
    model,
    apiKeyCiphertext: key?.ciphertext ?? null,
    apiKeyVersion: key?.keyVersion ?? null,
    apiKeyPreview: apiKey ? maskedPreview('api_key', apiKey) : null,
    systemPrompt,
    maxSteps,
  });
}

export async function allowOrigins(copilotId: string, origins: string[]): Promise<void> {
  const db = await getDb();
  await db.update(copilots).set({ allowedOrigins: origins }).where(eq(copilots.id, copilotId));
}

/** GET <path>/orders/{id} as an enabled tool named getOrder. */
export async function addGetOrderOperation(copilotId: string, serverUrl: string): Promise<void> {
  const db = await getDb();
  await db.insert(apiOperations).values({
    copilotId,
    toolName: 'getOrder',
    method: 'GET',
    path: '/orders/{id}',
    serverUrl,
    summary: 'Get an order',
    parameters: [{ name: 'id', in: 'path' }],
    inputSchema: { type: 'object', properties: { path: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } }, required: ['path'] },
    enabled: true,
    askFirst: false,
    position: 0,
  });
}

export type SseEvent = { event: string; data: Record<string, unknown> };

export function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '{}';
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

/** Registers a refresh hook straight in the database, its secret encrypted exactly as the General tab's action does. */
export async function registerRefreshHook(copilotId: string, url: string, secret: string): Promise<void> {
  const db = await getDb();
  const stored = encryptRefreshSecret(secret, { copilotId, url });
  await db.update(copilots).set({ refreshUrl: url, refreshSecretCiphertext: stored.ciphertext, refreshSecretKeyVersion: stored.keyVersion }).where(eq(copilots.id, copilotId));
}
