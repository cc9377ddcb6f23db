import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '@/db/client';
import { copilots, keyChecks } from '@/db/schema';
import { keyringFromString, loadKeyring, resetKeyringCache } from '@/core/crypto/keyring';
import { keyCheckStates } from '@/core/keys/check-values';
import { rotate } from '@/core/keys/commands';
import { assertKeyringCoversStoredRows } from '@/core/keys/usage';
import { outputUntilExit, type ExitWithOutput } from './fixtures/process-output';
import { runEntry, seedEncryptedRows } from './keys-fixtures';

const key = () => randomBytes(32).toString('base64');

/** What a production start needs besides the keyring; PORT 1 is never reached when start-up is refused. */
function productionEnv(keys: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    NEXTAUTH_SECRET: randomBytes(32).toString('base64'),
    NEXTAUTH_URL: 'http://127.0.0.1:1',
    ENCRYPTION_KEYS: keys,
    FINGERPRINT_KEY: key(),
    PORT: '1',
    RUNTIME_PORT: '1',
  };
}

function runKeysCli(args: string[], env: Record<string, string>): Promise<ExitWithOutput> {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/keys.ts', ...args], { cwd: process.cwd(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return outputUntilExit(child);
}

// Each test starts from no stored values and no recorded check values (the file shares one database).
beforeEach(async () => {
  const db = await getDb();
  await db.delete(copilots); // cascades to headers, history and model settings
  await db.delete(keyChecks);
  resetKeyringCache();
});

const WRONG_BYTES = /cannot start: The keyring's key for version 1 is not the key that encrypted the stored data/;

describe('[key-check-values]: a keyring with the right version number but the wrong key bytes is refused at start-up, naming the version', () => {
  it('[key-check-values]: wrong key bytes for version 1 → npm start (server/main.ts) refused at start-up, naming version 1 — on an install without check values (from its stored values) and once the value is recorded', { timeout: 180_000 }, async () => {
    const right = key();
    const wrong = key();
    await seedEncryptedRows(await getDb(), { copilotCount: 1, headersPerCopilot: 2, versionsPerHeader: 1, keyring: keyringFromString(`1:${right}`) });
    await closeDb(); // PGlite: one process per folder

    // An existing install: no check value yet; the stored values under version 1 don't open with these bytes.
    const unrecorded = await runEntry('server/main.ts', productionEnv(`1:${wrong}`));
    expect(unrecorded.code, unrecorded.output).toBe(1);
    expect(unrecorded.output).toMatch(WRONG_BYTES);
    expect(unrecorded.output).toContain('stored values under it do not decrypt with it');

    // Nothing was recorded by the refused start; the right keyring records version 1's value.
    let db = await getDb();
    expect(await db.select().from(keyChecks)).toEqual([]);
    await assertKeyringCoversStoredRows(db, keyringFromString(`1:${right}`));
    expect(await keyCheckStates(db, keyringFromString(`1:${right}`))).toEqual(new Map([[1, 'verified']]));
    await closeDb();

    const recorded = await runEntry('server/main.ts', productionEnv(`1:${wrong}`));
    expect(recorded.code, recorded.output).toBe(1);
    expect(recorded.output).toMatch(WRONG_BYTES);
    expect(recorded.output).toContain('key check value differs');
    for (const output of [unrecorded.output, recorded.output]) {
      expect(output).not.toContain(right);
      expect(output).not.toContain(wrong);
    }
    db = await getDb();
    expect(await keyCheckStates(db, keyringFromString(`1:${right}`))).toEqual(new Map([[1, 'verified']]));
  });

  it('[key-check-values]: a version no stored value uses yet is recorded at its first start, and other bytes for it are refused afterwards (also when a second process records at the same moment)', async () => {
    const db = await getDb();
    const first = keyringFromString(`1:${key()},2:${key()}`);
    await assertKeyringCoversStoredRows(db, first);
    expect(await keyCheckStates(db, first)).toEqual(new Map([[1, 'verified'], [2, 'verified']]));
    await expect(assertKeyringCoversStoredRows(db, first)).resolves.toBeUndefined();

    const otherV2 = keyringFromString(`1:${key()},2:${key()}`);
    await expect(assertKeyringCoversStoredRows(db, otherV2)).rejects.toThrow(/keys for versions 1, 2 are not the keys that encrypted the stored data/);

    const racers = [keyringFromString(`1:${key()},2:${key()},3:${key()}`), keyringFromString(`1:${key()},2:${key()},3:${key()}`)];
    await db.delete(keyChecks);
    const results = await Promise.allSettled(racers.map((ring) => assertKeyringCoversStoredRows(db, ring)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('[key-check-values]: `keys rotate` records the check value of the new version it generates', { timeout: 60_000 }, async () => {
    const db = await getDb();
    resetKeyringCache();
    await seedEncryptedRows(db, { copilotCount: 1, headersPerCopilot: 1, versionsPerHeader: 0, keyring: loadKeyring() });
    const outcome = await rotate(db);
    expect(outcome.kind).toBe('done');
    const ring = loadKeyring();
    expect(ring.currentVersion).toBeGreaterThan(1);
    expect((await keyCheckStates(db, ring)).get(ring.currentVersion)).toBe('verified');
  });
});

describe('[key-check-values]: `npm run keys -- status` shows per version whether its key is verified', () => {
  it('[key-check-values]: status says "verified" for the recorded bytes and "WRONG KEY" naming the version for other bytes, without printing a key', { timeout: 120_000 }, async () => {
    const right = key();
    const wrong = key();
    const db = await getDb();
    await seedEncryptedRows(db, { copilotCount: 1, headersPerCopilot: 1, versionsPerHeader: 0, keyring: keyringFromString(`1:${right}`) });
    await closeDb();

    const before = await runKeysCli(['status'], { ENCRYPTION_KEYS: `1:${right}` });
    expect(before.code, before.output).toBe(0);
    expect(before.output).toMatch(/key check\s+unrecorded/);

    await assertKeyringCoversStoredRows(await getDb(), keyringFromString(`1:${right}`));
    await closeDb();
    const good = await runKeysCli(['status'], { ENCRYPTION_KEYS: `1:${right}` });
    expect(good.output).toMatch(/key check\s+verified/);

    const bad = await runKeysCli(['status'], { ENCRYPTION_KEYS: `1:${wrong}` });
    expect(bad.code, bad.output).toBe(0);
    expect(bad.output).toMatch(/key check\s+WRONG KEY/);
    expect(bad.output).toContain('WRONG KEY for version 1');
    for (const output of [before.output, good.output, bad.output]) {
      expect(output).not.toContain(right);
      expect(output).not.toContain(wrong);
    }
  });
});

describe.runIf(Boolean(process.env.DATABASE_URL))('[key-check-values]: npm run runtime (PostgreSQL)', () => {
  it('[key-check-values]: wrong key bytes for version 1 → npm run runtime (server/runtime.ts) refused at start-up, naming version 1', { timeout: 120_000 }, async () => {
    const right = key();
    const wrong = key();
    const db = await getDb();
    await seedEncryptedRows(db, { copilotCount: 1, headersPerCopilot: 2, versionsPerHeader: 0, keyring: keyringFromString(`1:${right}`) });
    await assertKeyringCoversStoredRows(db, keyringFromString(`1:${right}`));

    const refused = await runEntry('server/runtime.ts', productionEnv(`1:${wrong}`));
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toMatch(WRONG_BYTES);
    expect(refused.output).toContain('key check value differs');
    expect(refused.output).not.toContain(right);
    expect(refused.output).not.toContain(wrong);
  });
});
