import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from './env';

/**
 * Returns the secret stored in `<DATA_DIR>/<file>`, creating it once (mode 0600) with `create()`.
 * Only for development and tests: production callers must read their secrets from the environment.
 */
export function readOrCreateDevSecret(file: string, create: () => string, what: string): string {
  const dir = dataDir();
  const full = path.join(dir, file);
  try {
    return readFileSync(/*turbopackIgnore: true*/ full, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = create();
  try {
    // 'wx' fails if another process created it first; then we read theirs.
    writeFileSync(full, value + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(full, 0o600);
    console.warn(`[copilot-headers] generated a development ${what} in ${full} (mode 0600). Set it from the environment in production.`);
    return value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(/*turbopackIgnore: true*/ full, 'utf8').trim();
    throw error;
  }
}

export function randomBase64Url(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
