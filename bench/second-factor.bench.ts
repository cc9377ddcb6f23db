// npm run bench:second-factor — prints numbers, asserts nothing about speed.
// The server's own work per sign-in step, without the database: a password hash (scrypt, the same
// parameters as lib/auth/password.ts), an authenticator-code check (lib/two-factor/totp.ts) and a passkey
// answer's verification (@simplewebauthn/server, ES256, answered by the tests' software authenticator).
import { scryptSync, randomBytes } from 'node:crypto';
import { generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { newTotpSeed, totpCodeAt, totpCodeStep } from '@/lib/two-factor/totp';
import { SoftwareAuthenticator } from '@/test/fixtures/software-authenticator';

function time(label: string, n: number, fn: () => unknown) {
  const t = performance.now();
  for (let i = 0; i < n; i++) fn();
  console.log(`${label}: ${((performance.now() - t) / n).toFixed(3)} ms each (n=${n})`);
}
async function timeAsync(label: string, n: number, fn: () => Promise<unknown>) {
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  console.log(`${label}: ${((performance.now() - t) / n).toFixed(3)} ms each (n=${n})`);
}
const seed = newTotpSeed();
const code = totpCodeAt(seed);
time('TOTP check (otpauth, window ±1)', 2000, () => totpCodeStep(seed, code));
const salt = randomBytes(16);
time('password hash (scrypt N=2^16 r=8 p=2)', 5, () => scryptSync('correct horse battery staple', salt, 32, { N: 2 ** 16, r: 8, p: 2, maxmem: 256 * 2 ** 16 * 8 + 2 ** 20 }));
const device = new SoftwareAuthenticator();
const reg = await generateRegistrationOptions({ rpName: 'x', rpID: 'localhost', userName: 'a@x', userID: new TextEncoder().encode('u'), attestationType: 'none' });
const regResponse = device.register(reg as never);
const verified = await verifyRegistrationResponse({ response: regResponse as never, expectedChallenge: reg.challenge, expectedOrigin: 'http://localhost:3000', expectedRPID: 'localhost' });
const credential = verified.registrationInfo!.credential;
let counter = 0;
await timeAsync('passkey assertion verify (@simplewebauthn, ES256)', 300, async () => {
  const opts = await generateAuthenticationOptions({ rpID: 'localhost' });
  const response = device.answer(opts);
  const r = await verifyAuthenticationResponse({ response: response as never, expectedChallenge: opts.challenge, expectedOrigin: 'http://localhost:3000', expectedRPID: 'localhost', credential: { ...credential, counter } });
  counter = r.authenticationInfo.newCounter;
});
