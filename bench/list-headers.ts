// Server time to load the headers-tab list of a copilot with 1,000 headers (previews only, no
// decryption). Used by `npm run bench` and `npm run bench:runtime`.
import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import * as schema from '@/db/schema';
import { decryptionCount, encryptSecret } from '@/core/crypto/aead';
import { maskedPreview } from '@/lib/headers/preview';
import { listHeaders } from '@/lib/headers/queries';
import { insertCopilotWithProduction } from '@/lib/environments/production';

export type ListBenchResult = { headers: number; p50Ms: number; p99Ms: number; decryptions: number };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function benchListHeaders(db: Db, { headers = 1_000, iterations = 200 } = {}): Promise<ListBenchResult> {
  const [owner] = await db.insert(schema.users).values({ email: `bench-${randomUUID()}@example.test`, name: 'Bench', passwordHash: 'x' }).returning();
  const copilot = await insertCopilotWithProduction(db, { name: 'Bench', apiBaseUrls: ['https://api.example.com'], allowedOrigins: [] });
  const rows = Array.from({ length: headers }, (_, i) => {
    const id = randomUUID();
    const value = `bench-secret-value-${i}-${randomBytes(8).toString('hex')}`;
    const { ciphertext, keyVersion } = encryptSecret(value, { copilotId: copilot!.id, headerId: id });
    return { id, copilotId: copilot!.id, environmentId: copilot.environmentId, name: `X-Bench-${i}`, kind: 'api_key' as const, ciphertext, keyVersion, preview: maskedPreview('api_key', value), updatedBy: owner!.id };
  });
  for (let i = 0; i < rows.length; i += 250) await db.insert(schema.globalHeaders).values(rows.slice(i, i + 250));

  for (let i = 0; i < 20; i++) await listHeaders(db, { copilotId: copilot!.id }); // warm-up
  const before = decryptionCount();
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    count = (await listHeaders(db, { copilotId: copilot!.id })).length;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  await db.delete(schema.copilots).where(eq(schema.copilots.id, copilot!.id));
  await db.delete(schema.users).where(eq(schema.users.id, owner!.id));
  return { headers: count, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), decryptions: decryptionCount() - before };
}
