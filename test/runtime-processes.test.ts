import { spawn, type ChildProcess } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { globalHeaders, serverKeys } from '@/db/schema';
import { updateHeaderAction, createHeaderAction } from '@/lib/headers/actions';
import { revokeServerKeyAction } from '@/lib/server-keys/actions';
import { actAs, createCopilot, createUser, type TestUser } from './factories';
import { startServer, type TestServer } from './fixtures/test-servers';
import { createServerKey } from './runtime-fixtures';
import { callRuntime, type Mode } from './runtime-plane';

// `npm run runtime` as an operator runs it: separate processes on one PostgreSQL database.
type RuntimeProcess = { origin: string; child: ChildProcess; output: string[] };

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRuntimeProcess(env: Record<string, string | undefined> = {}): Promise<RuntimeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/runtime.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, RUNTIME_PORT: String(port), HOSTNAME: '127.0.0.1', RUNTIME_USAGE_FLUSH_SECONDS: '3600', RUNTIME_RATE_LIMIT_PER_MINUTE: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (c: Buffer) => output.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`runtime exited: ${output.join('')}`);
    if (await fetch(`${origin}/api/v1/health`).then((r) => r.ok, () => false)) return { origin, child, output };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`runtime did not start: ${output.join('')}`);
}

function stop(p: RuntimeProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (p.child.exitCode !== null) return Promise.resolve(p.child.exitCode);
  return new Promise((resolve) => {
    p.child.once('exit', (code) => resolve(code));
    p.child.kill(signal);
  });
}

/** Polls until `check` holds; returns how long that took, or null after 1 s. */
async function msUntil(check: () => Promise<boolean>): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started <= 1_000) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 10));
  }
  return null;
}

describe('npm run runtime without PostgreSQL', () => {
  it('refuses to start with a message that says what to set', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/runtime.ts'], { cwd: process.cwd(), env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('needs PostgreSQL: set DATABASE_URL');
  });
});

describe.runIf(Boolean(process.env.DATABASE_URL))('two runtime processes on one PostgreSQL database', () => {
  let upstream: TestServer;
  let a: RuntimeProcess;
  let b: RuntimeProcess;
  let owner: TestUser;
  let copilotId: string;
  let headerId: string;

  beforeAll(async () => {
    upstream = await startServer();
    upstream.route('/api/denied', (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"revoked"}');
    });
    owner = await createUser();
    copilotId = (await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] })).id;
    await actAs(owner);
    const created = await createHeaderAction({ copilotId, kind: 'api_key', name: 'X-API-Key', value: 'two-process-value-1', allowWidgetOverride: false });
    if (!created.ok) throw new Error(created.message);
    headerId = created.data.id;
    [a, b] = await Promise.all([startRuntimeProcess(), startRuntimeProcess()]);
  });

  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map((p) => stop(p, 'SIGKILL')));
    await upstream.close();
  });

  const call = (p: RuntimeProcess, key: string, mode: Mode = 'proxy', url = '/x') => callRuntime(p.origin, mode, { method: 'GET', url, key });

  it('invariant: a revoked key stops working in both processes within 1 s', async () => {
    const key = await createServerKey(copilotId, 'revoke across processes');
    for (const p of [a, b]) expect((await call(p, key.key)).status).toBe(200);
    await actAs(owner);
    expect((await revokeServerKeyAction({ copilotId, keyId: key.id })).ok).toBe(true);
    const [inA, inB] = await Promise.all([a, b].map((p) => msUntil(async () => (await call(p, key.key, 'relay')).error?.code === 'unauthorized')));
    expect(inA, 'process A still accepts the revoked key after 1 s').not.toBeNull();
    expect(inB, 'process B still accepts the revoked key after 1 s').not.toBeNull();
  });

  it('invariant: a rotated value is the one both processes send within 1 s', async () => {
    const key = await createServerKey(copilotId, 'rotation across processes');
    for (const p of [a, b]) {
      await call(p, key.key);
      expect(upstream.requests.at(-1)?.headers['x-api-key']).toBe('two-process-value-1');
    }
    const [row] = await (await getDb()).select({ version: globalHeaders.version }).from(globalHeaders).where(eq(globalHeaders.id, headerId));
    await actAs(owner);
    const rotated = await updateHeaderAction({ copilotId, headerId, expectedVersion: row!.version, kind: 'api_key', name: 'X-API-Key', value: 'two-process-value-2', allowWidgetOverride: false });
    expect(rotated.ok).toBe(true);
    for (const p of [a, b]) {
      const ms = await msUntil(async () => {
        await call(p, key.key);
        return upstream.requests.at(-1)?.headers['x-api-key'] === 'two-process-value-2';
      });
      expect(ms, `${p.origin} still sends the old value after 1 s`).not.toBeNull();
    }
  });

  it('the rate limit holds across both: never more than the limit in a window, and all of it once both used their leases', async () => {
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 45_000) await new Promise((r) => setTimeout(r, 60_500 - intoWindow));
    const key = await createServerKey(copilotId, 'limit across processes');
    const statuses = await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        const seen: number[] = [];
        for (let i = 0; i < 25; i++) {
          const answer = await call(worker % 2 ? a : b, key.key);
          seen.push(answer.error ? answer.error.status : answer.status);
        }
        return seen;
      }),
    );
    const all = statuses.flat();
    expect(all.filter((s) => s === 200)).toHaveLength(100);
    expect(all.filter((s) => s === 429)).toHaveLength(100);
  });

  it('usage is batched in memory and written on a clean shutdown (SIGTERM), unused rate-limit leases given back', async () => {
    const key = await createServerKey(copilotId, 'usage on shutdown');
    const db = await getDb();
    const readHeader = async () => (await db.select().from(globalHeaders).where(eq(globalHeaders.id, headerId)))[0]!;
    const readKey = async () => (await db.select({ at: serverKeys.lastUsedAt }).from(serverKeys).where(eq(serverKeys.id, key.id)))[0]!.at;
    const before = await readHeader();
    for (let i = 0; i < 3; i++) expect((await call(a, key.key, 'relay', '/denied')).status).toBe(401);
    expect((await readHeader()).authFailuresSinceRotation).toBe(before.authFailuresSinceRotation);
    expect(await readKey()).toBeNull();

    expect(await stop(a)).toBe(0);
    expect(a.output.join('')).toContain('SIGTERM: stopping');
    const after = await readHeader();
    expect(after.authFailuresSinceRotation).toBe(before.authFailuresSinceRotation + 3);
    expect(after.lastUsedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await readKey()).toBeInstanceOf(Date);
  });
});
