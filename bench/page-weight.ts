// First-load JavaScript of dashboard pages as Chromium downloads it: a production build (dist/server.mjs,
// made by `npm run build`) on a scratch PGlite folder, one fresh browser context per page (empty cache),
// and the sum of every script response — the bytes on the wire (encoded) and each body gzipped (level 6)
// for comparison with a gzip budget. Used by `npm run bench` and `npm run bench:page-weight`.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const HEADERS_PAGE_BUDGET_KB = 160;
const EMAIL = 'weight@example.test';
const PASSWORD = `weigh-${randomBytes(12).toString('base64url')}`;

export type PageWeight = { page: string; scripts: number; transferKb: number; gzipKb: number; rawKb: number; encodings: string; biggest: string };

async function seed(dataDir: string, keys: string): Promise<string> {
  process.env.DATA_DIR = dataDir;
  process.env.ENCRYPTION_KEYS = keys;
  delete process.env.DATABASE_URL;
  const { closeDb, getDb } = await import('@/db/client');
  const { globalHeaders, memberships, users } = await import('@/db/schema');
  const { hashPassword } = await import('@/lib/auth/password');
  const { encryptSecret } = await import('@/core/crypto/aead');
  const { maskedPreview } = await import('@/lib/headers/preview');
  const { insertCopilotWithProduction } = await import('@/lib/environments/production');
  const db = await getDb();
  const [user] = await db.insert(users).values({ email: EMAIL, name: 'Weight', passwordHash: await hashPassword(PASSWORD), instanceAdmin: true }).returning({ id: users.id });
  const copilot = await insertCopilotWithProduction(db, { name: 'Weighed', apiBaseUrls: ['https://api.example.com/v1'], allowedOrigins: [] });
  await db.insert(memberships).values({ copilotId: copilot!.id, userId: user!.id, role: 'owner' });
  for (const name of ['X-API-Key', 'X-Tenant', 'X-Region']) {
    const id = randomUUID();
    const value = `value-${randomBytes(12).toString('hex')}`;
    await db.insert(globalHeaders).values({ id, copilotId: copilot!.id, environmentId: copilot.environmentId, name, kind: 'custom', ...encryptSecret(value, { copilotId: copilot!.id, headerId: id }), preview: maskedPreview('custom', value) });
  }
  await closeDb();
  return copilot!.id;
}

async function waitForHealth(url: string, child: ReturnType<typeof spawn>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not answer /api/health within 150 s');
}

/** Null (with the reason printed) when there is no production build to measure. */
export async function measurePageWeights(): Promise<PageWeight[] | null> {
  if (!existsSync('dist/server.mjs') || !existsSync('.next/BUILD_ID')) {
    console.log('Page weight skipped: no production build (run `npm run build` first).');
    return null;
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'copilot-headers-weight-'));
  const keys = process.env.ENCRYPTION_KEYS || `1:${randomBytes(32).toString('base64')}`;
  const copilotId = await seed(dataDir, keys);
  const port = Number(process.env.PAGE_WEIGHT_PORT || 3290);
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['dist/server.mjs'], {
    env: { ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, PORT: String(port), HOSTNAME: '127.0.0.1', NEXTAUTH_URL: base, NEXTAUTH_SECRET: randomBytes(32).toString('base64url'), ENCRYPTION_KEYS: keys, FINGERPRINT_KEY: randomBytes(32).toString('base64'), NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'ignore',
  });
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    await waitForHealth(base, child);
    const signedIn = await browser.newContext({ baseURL: base });
    const { csrfToken } = (await (await signedIn.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
    await signedIn.request.post('/api/auth/callback/credentials', { form: { csrfToken, email: EMAIL, password: PASSWORD, json: 'true', callbackUrl: '/copilots' }, maxRedirects: 0 });
    const cookies = await signedIn.cookies();
    if (!cookies.some((c) => c.name.endsWith('next-auth.session-token'))) throw new Error('could not sign in');
    const results: PageWeight[] = [];
    for (const [label, url] of [['copilots list', '/copilots'], ['overview page', `/copilots/${copilotId}`], ['headers page', `/copilots/${copilotId}/headers`], ['audit page', `/copilots/${copilotId}/audit`]] as const) {
      const context = await browser.newContext({ baseURL: base });
      await context.addCookies(cookies);
      const page = await context.newPage();
      const pending: Promise<{ file: string; transfer: number; gzip: number; raw: number; encoding: string }>[] = [];
      page.on('requestfinished', (request) => {
        if (request.resourceType() !== 'script') return;
        pending.push(
          (async () => {
            const response = (await request.response())!;
            const [sizes, body] = await Promise.all([request.sizes(), response.body()]);
            return { file: path.basename(new URL(request.url()).pathname), transfer: sizes.responseBodySize, gzip: gzipSync(body, { level: 6 }).length, raw: body.length, encoding: response.headers()['content-encoding'] ?? 'identity' };
          })(),
        );
      });
      const response = await page.goto(url, { waitUntil: 'networkidle' });
      if (response?.status() !== 200 || !page.url().endsWith(url)) throw new Error(`${url} answered ${response?.status()} at ${page.url()}`);
      const scripts = await Promise.all(pending);
      const kb = (n: number) => Math.round(n / 102.4) / 10;
      results.push({
        page: label,
        scripts: scripts.length,
        transferKb: kb(scripts.reduce((s, x) => s + x.transfer, 0)),
        gzipKb: kb(scripts.reduce((s, x) => s + x.gzip, 0)),
        rawKb: kb(scripts.reduce((s, x) => s + x.raw, 0)),
        encodings: [...new Set(scripts.map((x) => x.encoding))].join(', '),
        biggest: [...scripts]
          .sort((a, b) => b.transfer - a.transfer)
          .slice(0, 5)
          .map((x) => `${x.file} ${kb(x.transfer)}`)
          .join(', '),
      });
      await context.close();
    }
    return results;
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printPageWeights(rows: PageWeight[]): void {
  console.log(`\nFirst-load JavaScript as Chromium downloads it (production build, empty cache; budget for the headers page: ≤ ${HEADERS_PAGE_BUDGET_KB} KB gzip)`);
  console.table(
    rows.map((r) => ({
      page: r.page,
      'script files': r.scripts,
      'on the wire KB': r.transferKb,
      'content-encoding': r.encodings,
      'gzip KB': r.gzipKb,
      'uncompressed KB': r.rawKb,
      budget: r.page === 'headers page' ? (r.gzipKb <= HEADERS_PAGE_BUDGET_KB ? 'within' : 'OVER') : '',
    })),
  );
  for (const r of rows) console.log(`  ${r.page}: biggest scripts (KB on the wire) ${r.biggest}`);
}
