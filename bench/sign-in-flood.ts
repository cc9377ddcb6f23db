// A real sign-in's latency while 60 bogus sign-ins flood, against the same sign-in on an idle server
// (part of `npm run bench`). Calls verifyCredentials — the code behind the credentials callback — on the
// database the caller opened, with the real scrypt parameters. Prints numbers; asserts nothing.
import { randomUUID, scrypt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { hashPassword, passwordHashStats } from '@/lib/auth/password';
import { verifyCredentials, type SignInResult } from '@/lib/auth/sign-in';

export const FLOOD = 60;
const PASSWORD = 'bench real password';
/** The real user starts once the flood is under way. */
const REAL_USER_DELAY_MS = 20;

type Row = Record<string, string | number>;

let addressCounter = 0;
const freshAddress = () => `198.18.${Math.floor(++addressCounter / 250)}.${(addressCounter % 250) + 1}`;

/** Signs in, retrying when told to try later (as a person would); times the first answer and the sign-in. */
async function realSignIn(db: Db, email: string, address: string | null) {
  const start = performance.now();
  let first: SignInResult | undefined;
  let firstMs = 0;
  for (let attempt = 0; attempt < 10; attempt++) {
    const result = await verifyCredentials(db, email, PASSWORD, address);
    if (!first) {
      first = result;
      firstMs = performance.now() - start;
    }
    if (result.ok || result.reason !== 'throttled') break;
    await sleep(result.retryAfterSeconds * 1000);
  }
  const answer = first!.ok ? 'signed in' : first!.reason === 'invalid' ? 'invalid' : `try later (${first!.scope})`;
  return { answer, firstMs, signedInMs: performance.now() - start };
}

async function scenario(db: Db, label: string, flood: () => Promise<unknown>[], email: string, address: string | null): Promise<Row> {
  const before = passwordHashStats();
  const floodRuns = flood();
  await sleep(REAL_USER_DELAY_MS);
  const real = await realSignIn(db, email, address);
  await Promise.allSettled(floodRuns);
  const after = passwordHashStats();
  return {
    scenario: label,
    'real: first answer': real.answer,
    'real: answer ms': Math.round(real.firstMs),
    'real: signed in after ms': Math.round(real.signedInMs),
    'hashes run': after.started - before.started,
    'refused before hashing': FLOOD + 1 - (after.started - before.started),
  };
}

const bogus = (db: Db, address: () => string | null) => () =>
  Array.from({ length: FLOOD }, () => verifyCredentials(db, `bogus-${randomUUID()}@example.test`, 'not the password', address()));

/** What the old code did: every bogus sign-in hashed at once, with nothing in between. */
const unbounded = () => () =>
  Array.from({ length: FLOOD }, () => new Promise((resolve) => scrypt('guess', randomUUID(), 32, { N: 2 ** 16, r: 8, p: 2, maxmem: 80 * 1024 * 1024 }, resolve)));

export async function benchSignInFlood(db: Db): Promise<Row[]> {
  const email = `bench-real-${randomUUID()}@example.test`;
  await db.insert(users).values({ email, name: 'Bench', passwordHash: await hashPassword(PASSWORD) });

  const idle: number[] = [];
  for (let i = 0; i < 3; i++) idle.push((await realSignIn(db, email, freshAddress())).firstMs);
  idle.sort((a, b) => a - b);
  const rows: Row[] = [
    { scenario: 'idle server (median of 3)', 'real: first answer': 'signed in', 'real: answer ms': Math.round(idle[1]!), 'real: signed in after ms': Math.round(idle[1]!), 'hashes run': 1, 'refused before hashing': 0 },
  ];
  const attacker = freshAddress();
  rows.push(await scenario(db, `${FLOOD} bogus from one address`, bogus(db, () => attacker), email, freshAddress()));
  rows.push(await scenario(db, `${FLOOD} bogus from ${FLOOD} addresses`, bogus(db, freshAddress), email, freshAddress()));
  rows.push(await scenario(db, `${FLOOD} bogus, no client address (no front door)`, bogus(db, () => null), email, null));
  const reference = await scenario(db, `reference: ${FLOOD} unbounded hashes (old code)`, unbounded(), email, freshAddress());
  rows.push({ ...reference, 'hashes run': FLOOD + 1, 'refused before hashing': 0 }); // the flood's hashes bypass the gate here
  for (const row of rows.slice(1)) row['vs idle'] = `${(Number(row['real: signed in after ms']) / Math.max(1, idle[1]!)).toFixed(1)}×`;
  rows[0]!['vs idle'] = '1.0×';
  return rows;
}
