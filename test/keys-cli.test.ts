import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { closeDb, getDb } from '@/db/client';
import { loadKeyring, resetKeyringCache } from '@/core/crypto/keyring';
import { openRotation } from '@/core/keys/commands';
import { outputUntilExit, type ExitWithOutput } from './fixtures/process-output';
import { decryptEverything, seedEncryptedRows } from './keys-fixtures';

// `npm run keys` as an operator runs it: a separate process on this test file's database (its own
// PGlite folder, or its own PostgreSQL database) and development keyring file in DATA_DIR. PGlite
// allows one process per folder, so this process closes its database while the CLI runs.
function runKeys(args: string[], { killWhen }: { killWhen?: (output: string) => boolean } = {}): Promise<ExitWithOutput> {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/keys.ts', ...args], {
    cwd: process.cwd(),
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return outputUntilExit(child, { killWhen });
}

/** The highest "done" count the CLI reported ("re-encrypted 10 rows of …: 30/2020"). */
function rowsDone(output: string): number {
  return Math.max(0, ...[...output.matchAll(/: (\d+)\/\d+\n/g)].map((m) => Number(m[1])));
}

describe('[rotation-leaves-values-readable]: master-key rotation killed at any moment leaves every value readable', () => {
  it('SIGKILL during `keys rotate`, then running it again, finishes the same rotation: every value decrypts and all are on the new version; then retire drops the old key', { timeout: 240_000 }, async () => {
    let db = await getDb();
    loadKeyring(); // creates the development keyring file (version 1)
    const expected = await seedEncryptedRows(db, { copilotCount: 20, headersPerCopilot: 20, versionsPerHeader: 4 });
    expect(expected.size).toBe(2020);
    await closeDb();

    const killed = await runKeys(['rotate', '--batch-size', '10'], { killWhen: (out) => rowsDone(out) >= 30 });
    expect(killed.signal).toBe('SIGKILL');

    // Half-way: both versions in use, every value still readable, the rotation journaled as unfinished.
    resetKeyringCache();
    db = await getDb();
    const keyring = loadKeyring();
    expect(keyring.versions).toEqual([1, 2]);
    const halfway = await decryptEverything(db, keyring);
    expect(new Map(halfway.map((v) => [v.id, v.plaintext]))).toEqual(expected);
    const onNew = halfway.filter((v) => v.keyVersion === 2).length;
    expect(onNew).toBeGreaterThanOrEqual(30);
    expect(onNew).toBeLessThan(expected.size);
    expect(await openRotation(db)).toBe(2);
    await closeDb();

    const resumed = await runKeys(['rotate', '--batch-size', '10']);
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toContain('Resumed the unfinished rotation to key version 2');
    expect(resumed.output).toContain('Every stored value now uses key version 2');

    const retired = await runKeys(['retire', '1']);
    expect(retired.code, retired.output).toBe(0);
    const status = await runKeys(['status']);
    expect(status.output).toMatch(/versions? 2; current 2/);

    resetKeyringCache();
    db = await getDb();
    expect(loadKeyring().versions).toEqual([2]); // no version 3: the rerun finished the same rotation
    const after = await decryptEverything(db, loadKeyring());
    expect(after.every((v) => v.keyVersion === 2)).toBe(true);
    expect(new Map(after.map((v) => [v.id, v.plaintext]))).toEqual(expected);
    expect(await openRotation(db)).toBeNull();
    for (const value of expected.values()) expect(killed.output + resumed.output + retired.output + status.output).not.toContain(value);
  });
});
