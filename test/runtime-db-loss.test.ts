// A runtime process (npm run runtime) losing its PostgreSQL connections during traffic: one idle pooled
// backend, the LISTEN backend, every backend, and the database unreachable altogether.
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { globalHeaders } from '@/db/schema';
import { createHeaderAction, updateHeaderAction } from '@/lib/headers/actions';
import { actAs, createCopilot, createUser, type TestUser } from './factories';
import { startServer, type TestServer } from './fixtures/test-servers';
import { startTcpProxy } from './fixtures/tcp-proxy';
import { createServerKey } from './runtime-fixtures';
import { callRuntime } from './runtime-plane';
import { msUntil, startRuntimeProcess, stopProcess, type RuntimeProcess } from './runtime-process';

const onPostgres = Boolean(process.env.DATABASE_URL);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(onPostgres)('a runtime process losing its database connections', () => {
  let upstream: TestServer;
  let admin: pg.Client;
  let database: string;
  let owner: TestUser;
  let copilotId: string;
  let headerId: string;
  let key: string;
  const started: RuntimeProcess[] = [];

  beforeAll(async () => {
    upstream = await startServer();
    owner = await createUser();
    copilotId = (await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] })).id;
    await actAs(owner);
    const created = await createHeaderAction({ copilotId, kind: 'api_key', name: 'X-API-Key', value: 'db-loss-value-1', allowWidgetOverride: false });
    if (!created.ok) throw new Error(created.message);
    headerId = created.data.id;
    key = (await createServerKey(copilotId, 'db loss')).key;
    // From another database: this one's connections may be refused for a while (ALTER DATABASE … ALLOW_CONNECTIONS).
    const url = new URL(process.env.DATABASE_URL!);
    database = url.pathname.slice(1);
    url.pathname = '/postgres';
    admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.all(started.map((p) => stopProcess(p, 'SIGKILL')));
    await admin?.end();
    await upstream?.close();
  });

  async function runtime(env: Record<string, string> = {}): Promise<RuntimeProcess> {
    const p = await startRuntimeProcess({ RUNTIME_RATE_LIMIT_PER_MINUTE: '1000000', ...env });
    started.push(p);
    return p;
  }

  const call = (p: RuntimeProcess, k = key) => callRuntime(p.origin, 'proxy', { method: 'GET', url: '/x', key: k });
  const ok = async (p: RuntimeProcess, k = key) => (await call(p, k).catch(() => null))?.status === 200;

  /** The process's backends, told apart by the application_name it sets ("copilot-headers[pid] pool|listen"). */
  async function backends(p: RuntimeProcess, role?: 'pool' | 'listen'): Promise<{ pid: number; state: string | null }[]> {
    const name = `copilot-headers[${p.child.pid}] ${role ?? '%'}`;
    const { rows } = await admin.query<{ pid: number; state: string | null }>(
      'select pid, state from pg_stat_activity where datname = $1 and application_name like $2',
      [database, name],
    );
    return rows;
  }

  const terminate = (pids: number[]) => admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [pids]);

  /**
   * Calls the runtime back to back until stopped: when each call started and how it was answered ('200',
   * '503 database_unavailable', …; 'refused' when the connection failed).
   */
  function traffic(p: RuntimeProcess): { stop(): Promise<{ at: number; answer: string }[]> } {
    const statuses: { at: number; answer: string }[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        const at = Date.now();
        const answer = await call(p).catch(() => null);
        statuses.push({ at, answer: !answer ? 'refused' : answer.error ? `${answer.error.status} ${answer.error.code}` : String(answer.status) });
        await sleep(10);
      }
    })();
    return {
      stop: async () => {
        running = false;
        await loop;
        return statuses;
      },
    };
  }

  /** A key this process has never seen, so its first call must read the database. */
  /**
   * What traffic may see around a termination: a call whose query was on a terminated connection is
   * answered 503 database_unavailable (retry); never anything else, and every call after `recoveredAt` is 200.
   */
  function expectOnlyRetryableFailures(statuses: { at: number; answer: string }[], recoveredAt: number): void {
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s.answer !== '200' && s.answer !== '503 database_unavailable')).toEqual([]);
    expect(statuses.filter((s) => s.at >= recoveredAt && s.answer !== '200'), 'a call failed after the database calls worked again').toEqual([]);
  }

  async function freshKey(p: RuntimeProcess): Promise<string> {
    const fresh = (await createServerKey(copilotId, 'needs the database')).key;
    await sleep(200); // the notification evicts the copilot's configuration: the next call reads the database too
    expect(p.child.exitCode).toBeNull();
    return fresh;
  }

  it('[survives-db-loss]: terminating one idle pooled connection of a runtime process (the crash on an unhandled pool error) leaves it up, every call answered (200, or 503 + Retry-After if its query was on that connection — never refused, never a 500), database reads working within 2 s', async () => {
    const p = await runtime();
    expect(await ok(p)).toBe(true);
    expect((await fetch(`${p.origin}/readyz`)).status).toBe(200); // leaves an idle pooled connection behind
    const idle = (await backends(p, 'pool')).filter((b) => b.state === 'idle');
    expect(idle.length, 'no idle pooled connection to terminate').toBeGreaterThan(0);
    const fresh = await freshKey(p);

    const load = traffic(p);
    await sleep(100);
    await terminate([idle[0]!.pid]);
    const reconnectMs = await msUntil(() => ok(p, fresh), 2_000);
    const recoveredAt = Date.now();
    await sleep(300);
    const statuses = await load.stop();

    expect(p.child.exitCode, p.output.join('')).toBeNull();
    expect(reconnectMs, 'a call needing the database still fails 2 s after the termination').not.toBeNull();
    expectOnlyRetryableFailures(statuses, recoveredAt);
    expect(p.output.join('')).toContain('an idle pooled connection was lost');
    console.log(`[measure] one pooled backend terminated → first call reading the database succeeded after ${reconnectMs} ms`);
  });

  it('[survives-db-loss]: a header value changed while the LISTEN connection was down is the one sent within 1 s of its reconnection, never the old one after', async () => {
    const p = await runtime();
    await call(p);
    expect(upstream.requests.at(-1)?.headers['x-api-key']).toBe('db-loss-value-1');
    const [listenBackend] = await backends(p, 'listen');
    expect(listenBackend, 'no LISTEN connection named for this process').toBeDefined();
    const db = await getDb();
    await db.execute(sql`select 1`); // this test's own pooled connection stays usable while new ones are refused
    await admin.query(`alter database ${database} allow_connections false`);
    try {
      await terminate([listenBackend!.pid]);
      expect(await msUntil(async () => (await fetch(`${p.origin}/readyz`)).status === 503, 2_000), 'readiness still 200 without the listener').not.toBeNull();
      const [row] = await db.select({ version: globalHeaders.version }).from(globalHeaders).where(eq(globalHeaders.id, headerId));
      await actAs(owner);
      const rotated = await updateHeaderAction({ copilotId, headerId, expectedVersion: row!.version, kind: 'api_key', name: 'X-API-Key', value: 'db-loss-value-2', allowWidgetOverride: false });
      expect(rotated.ok).toBe(true);
    } finally {
      await admin.query(`alter database ${database} allow_connections true`);
    }
    const relistenMs = await msUntil(async () => (await backends(p, 'listen')).length === 1, 10_000);
    expect(relistenMs, 'the LISTEN connection did not come back').not.toBeNull();
    const inEffectMs = await msUntil(async () => {
      await call(p);
      return upstream.requests.at(-1)?.headers['x-api-key'] === 'db-loss-value-2';
    });
    expect(inEffectMs, 'the old value is still sent 1 s after the listener reconnected').not.toBeNull();
    for (let i = 0; i < 10; i++) {
      await call(p);
      expect(upstream.requests.at(-1)?.headers['x-api-key']).toBe('db-loss-value-2');
    }
    expect(p.child.exitCode).toBeNull();
    console.log(`[measure] connections allowed again → LISTEN back after ${relistenMs} ms, the changed value in effect ${inEffectMs} ms later`);
  });

  it('[survives-db-loss]: terminating every connection of a runtime process (pool and LISTEN) during traffic leaves it up; calls succeed again within 2 s and readiness recovers', async () => {
    const p = await runtime();
    await call(p);
    await fetch(`${p.origin}/readyz`);
    const fresh = await freshKey(p);
    const load = traffic(p);
    await sleep(100);
    const all = await backends(p);
    expect(all.length).toBeGreaterThanOrEqual(2);
    await terminate(all.map((b) => b.pid));
    const reconnectMs = await msUntil(() => ok(p, fresh), 2_000);
    const recoveredAt = Date.now();
    const readyMs = await msUntil(async () => (await fetch(`${p.origin}/readyz`)).status === 200, 5_000);
    await sleep(300);
    const statuses = await load.stop();

    expect(p.child.exitCode, p.output.join('')).toBeNull();
    expect(reconnectMs, 'calls needing the database still fail 2 s after every connection was terminated').not.toBeNull();
    expect(readyMs, '/readyz did not recover').not.toBeNull();
    expectOnlyRetryableFailures(statuses, recoveredAt);
    const retried = statuses.filter((s) => s.answer !== '200').length;
    console.log(`[measure] all backends terminated → database call ok after ${reconnectMs} ms, /readyz 200 after ${readyMs! + reconnectMs!} ms; ${statuses.length - retried} of ${statuses.length} calls during it 200, ${retried} 503`);
  });

  it('[survives-db-loss]: while PostgreSQL is unreachable, cached calls are served up to RUNTIME_MAX_STALENESS_SECONDS and every other call gets 503 database_unavailable with Retry-After, never a 500 or a crash', async () => {
    const intoWindow = Date.now() % 60_000; // a new rate-limit window needs the database: don't cross one
    if (intoWindow > 50_000) await sleep(60_500 - intoWindow);
    const target = new URL(process.env.DATABASE_URL!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    try {
      const unseen = (await createServerKey(copilotId, 'never seen by this process')).key;
      const p = await runtime({ DATABASE_URL: proxy.rewrite(process.env.DATABASE_URL!), RUNTIME_MAX_STALENESS_SECONDS: '2' });
      for (let i = 0; i < 100; i++) expect(await ok(p)).toBe(true); // rate-limit leases large enough to last the outage

      await proxy.cut();
      const cutAt = Date.now();
      const refused = await call(p, unseen);
      expect(refused.error).toMatchObject({ status: 503, code: 'database_unavailable' });
      expect(refused.responseHeaders['retry-after']).toBe('2');
      const chat = await fetch(`${p.origin}/api/v1/widgets/some_widget_token/chat`, { method: 'POST', headers: { origin: 'https://shop.example', 'content-type': 'application/json' }, body: '{}' });
      expect(chat.status, 'the widget chat endpoint').toBe(503);
      expect(chat.headers.get('retry-after')).toBe('2');
      expect(((await chat.json()) as { error: { code: string } }).error.code).toBe('database_unavailable');
      const readiness = await fetch(`${p.origin}/readyz`);
      expect(readiness.status).toBe(503);
      expect(((await readiness.json()) as { failing: string[] }).failing).toEqual(expect.arrayContaining(['database', 'listener']));

      // Calls keep coming (so no rate-limit lease is given back): memory answers until the bound (2 s), then 503.
      const seen: { at: number; answer: string }[] = [];
      while (Date.now() - cutAt < 3_000) {
        const answer = await call(p);
        seen.push({ at: Date.now() - cutAt, answer: answer.error ? `${answer.error.status} ${answer.error.code}` : String(answer.status) });
        expect(answer.raw).not.toContain('db-loss-value');
        await sleep(50);
      }
      expect(seen.filter((s) => s.at < 1_800).map((s) => s.answer), 'a cached call is refused within the staleness bound').toEqual(seen.filter((s) => s.at < 1_800).map(() => '200'));
      const late = seen.filter((s) => s.at > 2_300);
      expect(late.length).toBeGreaterThan(0);
      expect(late.map((s) => s.answer), 'memory is still served after the staleness bound').toEqual(late.map(() => '503 database_unavailable'));

      await proxy.restore();
      const reconnectMs = await msUntil(() => ok(p, unseen), 2_000);
      expect(reconnectMs, 'calls still fail 2 s after the database came back').not.toBeNull();
      expect(p.child.exitCode, p.output.join('')).toBeNull();
      expect(p.output.join('')).not.toMatch(/Unhandled|internal_error/);
      console.log(`[measure] database reachable again → first call ok after ${reconnectMs} ms`);
    } finally {
      await proxy.close();
    }
  });
});
