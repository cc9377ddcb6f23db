import { randomUUID } from 'node:crypto';
import type { Db } from '@/db/client';
import { globalHeaders, serverKeys } from '@/db/schema';
import { encryptSecret } from '@/core/crypto/aead';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { generateServerKey } from '@/core/server-keys/key';
import { insertCopilotWithProduction } from '@/lib/environments/production';

/** One copilot whose API is the local upstream, one encrypted header (like nginx's one), one server key. */
export async function seedRuntimeBench(db: Db, upstreamPort: number, apiKey: string): Promise<{ serverKey: string }> {
  const copilot = await insertCopilotWithProduction(db, { name: 'Runtime bench', apiBaseUrls: [`http://127.0.0.1:${upstreamPort}/api`], allowedOrigins: [] });
  const copilotId = copilot!.id;
  const headerId = randomUUID();
  const { ciphertext, keyVersion } = encryptSecret(apiKey, { copilotId, headerId });
  const key = generateServerKey();
  await db.transaction(async (tx) => {
    await tx.insert(globalHeaders).values({ id: headerId, copilotId, environmentId: copilot.environmentId, name: 'X-API-Key', kind: 'api_key', ciphertext, keyVersion, preview: '••••••••' });
    await tx.insert(serverKeys).values({ copilotId, environmentId: copilot.environmentId, name: 'bench', prefix: key.prefix, hash: key.hash });
    await bumpRuntimeGeneration(tx, { copilotId });
  });
  return { serverKey: key.plaintext };
}
