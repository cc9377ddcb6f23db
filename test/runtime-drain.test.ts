// SIGTERM to a runtime process (npm run runtime) under keep-alive load, as a load balancer produces it:
// what the API received and what the clients got must match.
import { Agent, request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeaderAction } from '@/lib/headers/actions';
import { actAs, createCopilot, createUser } from './factories';
import { startServer, type TestServer } from './fixtures/test-servers';
import { createServerKey } from './runtime-fixtures';
import { startRuntimeProcess, stopProcess, type RuntimeProcess } from './runtime-process';

const onPostgres = Boolean(process.env.DATABASE_URL);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CONNECTIONS = 6;

describe.runIf(onPostgres)('a runtime process stopping under keep-alive load', () => {
  let upstream: TestServer;
  let key: string;
  const started: RuntimeProcess[] = [];
  const hanging = new Set<import('node:http').ServerResponse>();

  beforeAll(async () => {
    upstream = await startServer();
    upstream.route('/api/slow', (_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('answered'), 150);
    });
    upstream.route('/api/hang', (_req, res) => void hanging.add(res));
    const owner = await createUser();
    const copilotId = (await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] })).id;
    await actAs(owner);
    const created = await createHeaderAction({ copilotId, kind: 'api_key', name: 'X-API-Key', value: 'drain-value', allowWidgetOverride: false });
    if (!created.ok) throw new Error(created.message);
    key = (await createServerKey(copilotId, 'drain')).key;
  });

  afterAll(async () => {
    await Promise.all(started.map((p) => stopProcess(p, 'SIGKILL')));
    for (const res of hanging) res.destroy();
    await upstream?.close();
  });

  async function runtime(env: Record<string, string>): Promise<RuntimeProcess> {
    const p = await startRuntimeProcess({ RUNTIME_RATE_LIMIT_PER_MINUTE: '1000000', ...env });
    started.push(p);
    return p;
  }

  /** One proxied GET over `agent`; resolves with the full answer or rejects on a connection error. */
  function get(p: RuntimeProcess, agent: Agent, path: string): Promise<{ status: number; connection: string | undefined; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${p.origin}/api/v1/proxy${path}`, { agent, headers: { 'x-copilot-server-key': key } }, (res: IncomingMessage) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  const received = (path: string) => upstream.requests.filter((r) => r.url === `/api${path}`).length;
  const exited = (p: RuntimeProcess) => new Promise<number | null>((resolve) => (p.child.exitCode !== null ? resolve(p.child.exitCode) : p.child.once('exit', resolve)));

  it('[drains-without-cutting]: SIGTERM under keep-alive load (busy connections kept taking requests, then were cut) — every request the API received is answered to its client, the next answers say Connection: close, exit 0', async () => {
    const p = await runtime({ SHUTDOWN_GRACE_SECONDS: '10' });
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const before = received('/slow');
    let answered = 0;
    let stopAt = 0;
    const closeAnswers: number[] = [];
    const workers = Array.from({ length: CONNECTIONS }, async () => {
      for (;;) {
        let answer;
        try {
          answer = await get(p, agent, '/slow');
        } catch {
          return; // refused or closed before an answer: the runtime is stopping
        }
        expect(answer.status).toBe(200);
        expect(answer.body).toBe('answered');
        answered++;
        if (stopAt && answer.connection === 'close') closeAnswers.push(Date.now() - stopAt);
      }
    });
    await sleep(1_500);
    const receivedAtSigterm = received('/slow') - before;
    stopAt = Date.now();
    p.child.kill('SIGTERM');
    const code = await exited(p);
    const stoppedMs = Date.now() - stopAt;
    await Promise.all(workers);
    agent.destroy();

    const apiReceived = received('/slow') - before;
    const output = p.output.join('');
    expect(code, output).toBe(0);
    expect(apiReceived).toBeGreaterThan(CONNECTIONS);
    expect(answered, 'requests the API received whose answer never reached the client').toBe(apiReceived);
    expect(apiReceived - receivedAtSigterm, 'requests accepted on busy connections after SIGTERM').toBeLessThanOrEqual(CONNECTIONS);
    expect(closeAnswers.length, 'no answer after SIGTERM said Connection: close').toBeGreaterThan(0);
    expect(output).not.toContain('grace period over');
    expect(output).toContain('SIGTERM: stopping');
    console.log(`[measure] drain: API received ${apiReceived}, clients got ${answered}, ${closeAnswers.length} answers with Connection: close, exited after ${stoppedMs} ms, 0 sockets closed at the deadline`);
  });

  it('[drains-without-cutting]: a call still running when SHUTDOWN_GRACE_SECONDS ends is cut, the log counts the connections closed, and the process exits 0', async () => {
    const p = await runtime({ SHUTDOWN_GRACE_SECONDS: '1' });
    const agent = new Agent({ keepAlive: true });
    const before = received('/hang');
    const pending = get(p, agent, '/hang').then(
      () => 'answered',
      () => 'cut',
    );
    for (let i = 0; i < 200 && received('/hang') === before; i++) await sleep(10);
    expect(received('/hang')).toBe(before + 1);
    const stopAt = Date.now();
    p.child.kill('SIGTERM');
    expect(await exited(p)).toBe(0);
    expect(Date.now() - stopAt).toBeGreaterThanOrEqual(900);
    expect(await pending).toBe('cut');
    agent.destroy();
    expect(p.output.join('')).toContain('grace period over, closed 1 connection still open (1 request unfinished)');
  });
});
