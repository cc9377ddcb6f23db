// Wrapper (lib/crypto/aead) vs. raw node:crypto AES-256-GCM on 1 KiB values.
// Run: node --conditions=react-server --import tsx bench/headers-crypto.ts
// (the react-server condition resolves `server-only` to its empty module outside Next).
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { decryptSecret, encryptSecret } from '@/core/crypto/aead';
import { keyringFromString, type Keyring } from '@/core/crypto/keyring';

export interface CryptoBenchResult {
  wrapperEncryptOps: number;
  wrapperDecryptOps: number;
  rawEncryptOps: number;
  rawDecryptOps: number;
}

const VALUE = 'k'.repeat(1024);
const BINDING = { copilotId: '0b7c6f0e-4a51-4c9e-8f11-2f6d3b1a9e01', headerId: '5e2d8c44-93a7-4f0b-b6c2-7a1e0d9f3c22' };

/** Calls `fn` in batches for about `ms` milliseconds and returns operations per second. */
function measure(fn: () => unknown, ms: number): number {
  const batch = 256;
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    now = process.hrtime.bigint();
  }
  return ops / (Number(now - start) / 1e9);
}

/**
 * Benchmarks 1 KiB values for ~`ms` per case after a warm-up. Uses an in-memory keyring, so it
 * never reads ENCRYPTION_KEYS or writes a keyring file.
 */
export async function benchCrypto(ms = 1500, keyring: Keyring = keyringFromString(`1:${randomBytes(32).toString('base64')}`)): Promise<CryptoBenchResult> {
  const entry = keyring.get(keyring.currentVersion);
  if (!entry) throw new Error('The keyring has no current key.');
  const rawKey = createSecretKey(entry.key.export());
  const aad = Buffer.from(`copilot-headers:global-header:v1|${BINDING.copilotId}|${BINDING.headerId}|1`);

  const wrapperEncrypt = () => encryptSecret(VALUE, BINDING, keyring);
  const stored = wrapperEncrypt();
  const wrapperDecrypt = () => decryptSecret(stored, BINDING, keyring);

  const rawEncrypt = () => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', rawKey, iv, { authTagLength: 16 });
    cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(VALUE, 'utf8'), cipher.final()]);
    return { iv, body, tag: cipher.getAuthTag() };
  };
  const sealed = rawEncrypt();
  const rawDecrypt = () => {
    const decipher = createDecipheriv('aes-256-gcm', rawKey, sealed.iv, { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.body), decipher.final()]).toString('utf8');
  };

  if (wrapperDecrypt() !== VALUE || rawDecrypt() !== VALUE) throw new Error('Round trip failed before benchmarking.');
  const cases = [wrapperEncrypt, wrapperDecrypt, rawEncrypt, rawDecrypt];
  for (const fn of cases) measure(fn, 500); // warm-up: JIT and OpenSSL contexts

  // ~`ms` per case, split into short rounds that alternate wrapper and raw; each case reports its
  // median round, so bursts of load from other processes skew neither side of the ratio.
  const rounds = 15;
  const samples: number[][] = cases.map(() => []);
  for (let round = 0; round < rounds; round++) {
    cases.forEach((fn, index) => samples[index]?.push(measure(fn, ms / rounds)));
  }
  const [wrapperEncryptOps, wrapperDecryptOps, rawEncryptOps, rawDecryptOps] = samples.map(median) as [number, number, number, number];
  return { wrapperEncryptOps, wrapperDecryptOps, rawEncryptOps, rawDecryptOps };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function printTable(result: CryptoBenchResult): void {
  const row = (name: string, wrapper: number, raw: number) => ({
    case: name,
    'wrapper ops/s': Math.round(wrapper),
    'raw ops/s': Math.round(raw),
    'wrapper/raw': `${((wrapper / raw) * 100).toFixed(1)}%`,
  });
  console.log('AES-256-GCM, 1 KiB values');
  console.table([
    row('encrypt', result.wrapperEncryptOps, result.rawEncryptOps),
    row('decrypt', result.wrapperDecryptOps, result.rawDecryptOps),
  ]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printTable(await benchCrypto());
}
