import 'server-only';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ConcurrencyGate, type GateStats } from '@/core/concurrency-gate';
import { env } from '@/core/env';

/**
 * scrypt with one of OWASP's recommended configurations (N=2^16, r=8, p=2: 64 MiB, ~0.3–0.6 s per hash on one core).
 * Parameters are stored in the hash so they can be raised later without breaking old hashes.
 */
const PARAMS = { N: 2 ** 16, r: 8, p: 2 } as const;
const KEY_LENGTH = 32;

/**
 * Every hash in this process goes through one gate: PASSWORD_HASH_CONCURRENCY at once (below libuv's
 * four threads, so file and DNS work never waits behind a flood), HASH_QUEUE_LENGTH more waiting at
 * most PASSWORD_HASH_QUEUE_TIMEOUT_MS, and at most HASH_PLACES_PER_CLIENT places per client. The rest
 * is refused with GateBusyError before any hashing.
 */
export const HASH_QUEUE_LENGTH = 8;
export const HASH_PLACES_PER_CLIENT = 2;
/** What a refused client is told: about as long as a full queue takes to drain. */
export const HASH_BUSY_RETRY_AFTER_SECONDS = 2;

const GATE = Symbol.for('copilot-headers.password-hash-gate');
type GateGlobal = { [GATE]?: ConcurrencyGate };

/** One gate per process, shared by every route bundle that imports this module. */
function hashGate(): ConcurrencyGate {
  const store = globalThis as GateGlobal;
  store[GATE] ??= new ConcurrencyGate({
    concurrency: env().PASSWORD_HASH_CONCURRENCY,
    maxQueued: HASH_QUEUE_LENGTH,
    queueTimeoutMs: env().PASSWORD_HASH_QUEUE_TIMEOUT_MS,
    maxPerKey: HASH_PLACES_PER_CLIENT,
  });
  return store[GATE];
}

/** Hashes started and requests refused without hashing, since the process started. */
export function passwordHashStats(): GateStats {
  return hashGate().stats();
}

/** `client` (an address, or an email when the address is unknown) limits how many places one client may hold. */
export type HashOptions = { client?: string | null };

function derive(password: string, salt: Buffer, options: ScryptOptions, { client = null }: HashOptions): Promise<Buffer> {
  const maxmem = 256 * (options.N ?? 0) * (options.r ?? 0) + 1024 * 1024;
  return hashGate().run(
    client,
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...options, maxmem }, (error, key) => (error ? reject(error) : resolve(key))),
      ),
  );
}

/** Throws GateBusyError (core/concurrency-gate) when the server is already hashing as much as it may. */
export async function hashPassword(password: string, options: HashOptions = {}): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS, options);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Throws GateBusyError like hashPassword. Always hashes exactly once: a stored value that isn't a
 * well-formed scrypt hash is treated as no password at all and the attempt is checked against
 * DUMMY_PASSWORD_HASH instead, so a broken row costs the same as any other.
 */
export async function verifyPassword(password: string, stored: string, options: HashOptions = {}): Promise<boolean> {
  const parsed = parseHash(stored);
  const { salt, key, params } = parsed ?? parseHash(DUMMY_PASSWORD_HASH)!;
  const actual = await derive(password, salt, params, options);
  return parsed !== null && actual.length === key.length && timingSafeEqual(actual, key);
}

function parseHash(stored: string): { salt: Buffer; key: Buffer; params: ScryptOptions } | null {
  const [scheme, n, r, p, salt, key, ...rest] = stored.split('$');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const valid = scheme === 'scrypt' && rest.length === 0 && Object.values(params).every((v) => Number.isSafeInteger(v) && v > 0);
  if (!valid || !salt || !key) return null;
  return { salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url'), params };
}

/**
 * Compared against when the email is unknown, so timing doesn't reveal it: same parameters as a real
 * hash, a random key that no password derives to. Made without hashing, so it can never be "busy".
 */
export const DUMMY_PASSWORD_HASH = ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, randomBytes(16).toString('base64url'), randomBytes(KEY_LENGTH).toString('base64url')].join('$');
