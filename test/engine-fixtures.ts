// Seeds for the chat-engine tests: model settings and enabled operations written straight to the
// database (the key encrypted exactly as the Model tab's action does), and a chat client that reads SSE.
import { eq } from 'drizzle-orm';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getDb } from '@/db/client';
import { apiOperations, copilots, modelSettings } from '@/db/schema';
import { encryptModelKey } from '@/core/engine/model-key';
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

/** A node:http server around one request handler, on 127.0.0.1 (as the edge mounts it). */
export async function serveHandler(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
