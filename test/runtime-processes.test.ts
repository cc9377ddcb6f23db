import { spawn } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { globalHeaders, serverKeys } from '@/db/schema';
import { updateHeaderAction, createHeaderAction } from '@/lib/headers/actions';
import { revokeServerKeyAction } from '@/lib/server-keys/actions';
import { actAs, createCopilot, createUser, type TestUser } from './factories';
import { startServer, type TestServer } from './fixtures/test-servers';
import { outputUntilExit } from './fixtures/process-output';
import { createServerKey } from './runtime-fixtures';
import { callRuntime, type Mode } from './runtime-plane';
import { msUntil, startRuntimeProcess, stopProcess as stop, type RuntimeProcess } from './runtime-process';

describe('npm run runtime without PostgreSQL', () => {
  it('refuses to start with a message that says what to set', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/runtime.ts'], { cwd: process.cwd(), env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const { code, output } = await outputUntilExit(child);
    expect(code).toBe(1);
    expect(output).toContain('needs PostgreSQL: set DATABASE_URL');
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

  it('[changes-live-within-1s]: a revoked key stops working in both processes within 1 s', async () => {
    const key = await createServerKey(copilotId, 'revoke across processes');
    for (const p of [a, b]) expect((await call(p, key.key)).status).toBe(200);
    await actAs(owner);
    expect((await revokeServerKeyAction({ copilotId, keyId: key.id })).ok).toBe(true);
    const [inA, inB] = await Promise.all([a, b].map((p) => msUntil(async () => (await call(p, key.key, 'relay')).error?.code === 'unauthorized')));
    expect(inA, 'process A still accepts the revoked key after 1 s').not.toBeNull();
    expect(inB, 'process B still accepts the revoked key after 1 s').not.toBeNull();
  });

  it('[changes-live-within-1s]: a rotated value is the one both processes send within 1 s', async () => {
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

  it('[rate-limits-hold-across-instances]: the rate limit holds across both: never more than the limit in a window, and all of it once both used their leases', async () => {
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
