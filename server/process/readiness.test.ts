import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getHandle, type Handle } from '@/db/client';
import { globalHeaders } from '@/db/schema';
import { startRuntimeServices, type RuntimeServices } from '@/server/data-plane/services';
import { createCopilot, createUser } from '@/test/factories';
import { createDashboardHeader } from '@/test/runtime-fixtures';
import { createReadiness, readinessState, type Readiness } from './readiness';

// The endpoints an operator's load balancer and orchestrator probe, served by the same module in both entries.
describe('/healthz and /readyz (no way to tell a healthy instance from a stuck one)', () => {
  let handle: Handle;
  let services: RuntimeServices;
  const servers: Server[] = [];

  beforeAll(async () => {
    handle = await getHandle();
    services = await startRuntimeServices(handle);
  });

  afterAll(async () => {
    await services.close();
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  /** A fresh readiness (its own 1 s cache) behind a real node:http server. */
  async function serve(target: RuntimeServices = services): Promise<{ readiness: Readiness; get(path: string, method?: string): Promise<{ status: number; body: Record<string, unknown> }> }> {
    const readiness = createReadiness(handle, target);
    const server = createServer((req, res) => {
      if (!readiness.serve(req, res)) res.writeHead(404).end('{}');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      readiness,
      get: async (path, method = 'GET') => {
        const res = await fetch(`${origin}${path}`, { method });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      },
    };
  }

  it('/healthz says the process is alive; /readyz is 200 with every check passing; both refuse other methods', async () => {
    const { get } = await serve();
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await get('/readyz?probe=lb');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      failing: [],
      checks: { database: { ok: true }, migrations: { ok: true }, keyring: { ok: true }, listener: { ok: true } },
    });
    expect((await get('/readyz', 'POST')).status).toBe(405);
    expect((await get('/api/v1/health')).status).toBe(404); // not the readiness module's: the data plane keeps answering it
  });

  it('/readyz is 503 naming migrations when the database lacks one this build expects, and reuses its answer for ~1 s', async () => {
    const { db } = handle;
    const { get } = await serve();
    // The clock stands still between the two probes: "within 1 s" is about the cache, not about how fast a busy
    // machine runs the delete in between (on CI at load 19 it took longer than a second).
    vi.useFakeTimers({ toFake: ['Date'] });
    expect((await get('/readyz')).status).toBe(200);
    const [newest] = ((await db.execute(sql`select id, hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`)) as unknown as { rows: { id: number; hash: string; created_at: string }[] }).rows;
    await db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${newest!.id}`);
    try {
      expect((await get('/readyz')).status, 'a probe within 1 s queried the database again').toBe(200);
      vi.useRealTimers();
      const fresh = await serve();
      const behind = await fresh.get('/readyz');
      expect(behind.status).toBe(503);
      expect(behind.body).toMatchObject({ status: 'not_ready', failing: ['migrations'], checks: { migrations: { ok: false } } });
    } finally {
      vi.useRealTimers();
      await db.execute(sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${newest!.id}, ${newest!.hash}, ${newest!.created_at})`);
    }
  });

  it('/readyz is 503 naming the keyring when a stored value uses a key version the keyring lacks, without naming versions or tables', async () => {
    const copilot = await createCopilot(await createUser());
    const { id } = await createDashboardHeader(copilot.id, { name: 'X-Readiness', value: 'readiness-secret-value' });
    const { db } = handle;
    const [{ keyVersion }] = (await db.select({ keyVersion: globalHeaders.keyVersion }).from(globalHeaders).where(eq(globalHeaders.id, id))) as [{ keyVersion: number }];
    await db.update(globalHeaders).set({ keyVersion: 999 }).where(eq(globalHeaders.id, id));
    try {
      const { get } = await serve();
      const answer = await get('/readyz');
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ status: 'not_ready', failing: ['keyring'] });
      expect(JSON.stringify(answer.body)).not.toMatch(/999|global_headers|readiness-secret-value/);
    } finally {
      await db.update(globalHeaders).set({ keyVersion }).where(eq(globalHeaders.id, id));
    }
  });

  it('/readyz is 503 naming the listener when admin changes cannot be heard, and 503 stopping once shutdown began', async () => {
    const other = await startRuntimeServices(handle);
    const { get, readiness } = await serve(other);
    expect((await get('/readyz')).status).toBe(200);
    await other.close(); // stops listening
    const unheard = await serve(other);
    expect(await unheard.get('/readyz')).toMatchObject({ status: 503, body: { status: 'not_ready', failing: ['listener'] } });

    readiness.stopping();
    expect(await get('/readyz')).toEqual({ status: 503, body: { status: 'stopping' } });
    expect(await readiness.state()).toEqual({ status: 'stopping' });
    expect(await readinessState()).toMatchObject({ status: 'not_ready', failing: ['listener'] }); // the newest one: `unheard`
    expect((await get('/healthz')).status).toBe(200);
  });
});
