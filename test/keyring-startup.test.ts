import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { closeDb, getDb } from '@/db/client';
import { keyringFromString } from '@/core/crypto/keyring';
import { runEntry as start, seedEncryptedRows } from './keys-fixtures';

describe('[keys-fail-loudly]: the server refuses to start with a keyring that lacks a key version still in use', () => {
  it('npm start (server/main.ts) exits at start-up naming the missing version and where it is used, before serving anything', { timeout: 120_000 }, async () => {
    const v1 = randomBytes(32).toString('base64');
    const v2 = randomBytes(32).toString('base64');
    await seedEncryptedRows(await getDb(), { copilotCount: 1, headersPerCopilot: 2, versionsPerHeader: 0, keyring: keyringFromString(`1:${v1}`) });
    await closeDb(); // PGlite: one process per folder

    const refused = await start('server/main.ts', {
      NODE_ENV: 'production',
      NEXTAUTH_SECRET: randomBytes(32).toString('base64'),
      NEXTAUTH_URL: 'http://127.0.0.1:1',
      ENCRYPTION_KEYS: `2:${v2}`,
      FINGERPRINT_KEY: randomBytes(32).toString('base64'),
      PORT: '1',
    });
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/cannot start: The keyring lacks key version 1 \(3 stored values: global_headers\.ciphertext: 2, model_settings\.api_key_ciphertext: 1\); it has version 2/);
    expect(refused.output).not.toContain(v1);
    expect(refused.output).not.toContain(v2);
  });
});
