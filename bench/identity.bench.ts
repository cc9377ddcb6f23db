// npm run bench:identity — prints numbers, asserts nothing about speed.
// Signed identity tokens (server/data-plane/sessions/identity-token.ts): what verifying one costs in µs per
// token for HS256 (identity secret), ES256 and RS256 (keys from a JWKS on 127.0.0.1, fetched once and then
// cached, as between key rotations), against a bare node:crypto HMAC-SHA256 check of the same HS256 token as
// the floor. Verification is async (jose), so each sample awaits one verification.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, cpus } from 'node:os';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { NO_IDENTITY, verifyIdentityToken, type IdentitySettings } from '@/server/data-plane/sessions/identity-token';

const RUNS = Number(process.env.BENCH_ITERATIONS || 5_000);
const SECRET = 'cpid_bench-identity-secret-0000000000000000000';
const copilotId = randomUUID();

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

async function micro(label: string, fn: () => unknown): Promise<void> {
  for (let i = 0; i < Math.min(500, RUNS); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  const { p50, p99 } = percentiles(samples);
  console.log(`${label}: p50 ${p50.toFixed(1)} µs, p99 ${p99.toFixed(1)} µs (${RUNS} runs)`);
}

const keys: JWK[] = [];
const jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })));
await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
const { port } = jwks.address() as AddressInfo;
const network = { privateHosts: [`127.0.0.1:${port}`] };

const claims = () => new SignJWT({ name: 'Ada' }).setSubject('shopper-42').setAudience(copilotId).setIssuedAt().setExpirationTime('15m');
const secret = new TextEncoder().encode(SECRET);
const hsToken = await claims().setProtectedHeader({ alg: 'HS256' }).sign(secret);
const signed: Record<string, string> = {};
for (const alg of ['ES256', 'RS256'] as const) {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  keys.push({ ...(await exportJWK(publicKey)), kid: alg, alg });
  signed[alg] = await claims().setProtectedHeader({ alg, kid: alg }).sign(privateKey);
}

const hsIdentity: IdentitySettings = { ...NO_IDENTITY, secret };
const jwksIdentity: IdentitySettings = { ...NO_IDENTITY, jwksUrl: `http://127.0.0.1:${port}/jwks.json` };
const verify = async (token: string, identity: IdentitySettings) => {
  const result = await verifyIdentityToken(token, { id: copilotId, identity }, { network });
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
};

console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (before)`);
const [signingInput, signature] = [hsToken.slice(0, hsToken.lastIndexOf('.')), Buffer.from(hsToken.slice(hsToken.lastIndexOf('.') + 1), 'base64url')];
await micro('baseline node:crypto HMAC-SHA256 check (no claims)', () => {
  if (!timingSafeEqual(createHmac('sha256', secret).update(signingInput).digest(), signature)) throw new Error('bad');
});
await micro('verify HS256 (identity secret)', () => verify(hsToken, hsIdentity));
await micro('verify ES256 (JWKS, cached)', () => verify(signed.ES256!, jwksIdentity));
await micro('verify RS256 (JWKS, cached)', () => verify(signed.RS256!, jwksIdentity));
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (after)`);
jwks.close();
