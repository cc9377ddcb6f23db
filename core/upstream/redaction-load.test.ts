import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { MAX_HEADER_VALUE_LENGTH } from '@/core/http/fields';
import { callUpstream } from './call-upstream';
import { createRedactorAsync } from './redact';
import type { DashboardHeader, RuntimeCopilot } from './types';

const BODY_BYTES = 5 * 1024 * 1024;
/**
 * CPU time the main thread may spend between two turns of a 1 ms timer: far above one slice of
 * redaction work (and a GC pause), far below the seconds one giant regex took per call. CPU time, not
 * wall time, so that a busy machine descheduling the process can't make the test fail.
 */
const MAX_CPU_BETWEEN_TURNS_MS = 250;

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Runs `work` while a 1 ms timer measures the longest CPU time spent between two of its turns. */
async function longestCpuBetweenTurns<T>(work: () => Promise<T>): Promise<{ result: T; longestMs: number; turns: number }> {
  let last = cpuMs();
  let longestMs = 0;
  let turns = 0;
  let running = true;
  const turn = () => {
    const now = cpuMs();
    longestMs = Math.max(longestMs, now - last);
    last = now;
    turns++;
    if (running) setTimeout(turn, 1);
  };
  setTimeout(turn, 1);
  try {
    const result = await work();
    return { result, longestMs: Math.max(longestMs, cpuMs() - last), turns };
  } finally {
    running = false;
  }
}

// 100 realistic credentials: API keys, bearer tokens and Basic pairs of random characters.
const dashboardHeaders: DashboardHeader[] = Array.from({ length: 100 }, (_, i) => {
  const random = randomBytes(30).toString('base64url');
  const value = i % 3 === 0 ? random : i % 3 === 1 ? `Bearer ${random}` : `Basic ${Buffer.from(`user${i}:${random}`).toString('base64')}`;
  return { id: `h${i}`, name: `X-Key-${i}`, value, allowWidgetOverride: false, scopeHost: null, scopePathPrefix: null };
});
const ECHOED = dashboardHeaders[42]!.value.replace(/^Bearer /, '');

let upstream: TestServer;
let copilot: RuntimeCopilot;
let blob: Buffer;

beforeAll(async () => {
  blob = randomBytes(BODY_BYTES);
  Buffer.from(ECHOED).copy(blob, BODY_BYTES / 2);
  upstream = await startServer();
  upstream.route('/api/blob', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(blob);
  });
  copilot = { id: 'c-load', apiBaseUrls: [`${upstream.origin}/api`] };
});

afterAll(async () => {
  await upstream.close();
});

const relayBlob = () => callUpstream({ copilot, request: { method: 'GET', url: '/blob' }, dashboardHeaders, network: { privateHosts: ['127.0.0.1'] }, limits: { timeoutMs: 60_000 } });

describe('[redaction-never-freezes] (fixed: one account could freeze the server)', () => {
  it(`[redaction-never-freezes] (fixed: one account could freeze the server): with 100 headers, building their redactor and four concurrent 5 MiB binary answers never hold the event loop for ${MAX_CPU_BETWEEN_TURNS_MS} ms of CPU`, async () => {
    // The first call also builds the copilot's redactor, as the first call after a change does.
    const { result: results, longestMs, turns } = await longestCpuBetweenTurns(async () => [await relayBlob(), ...(await Promise.all([relayBlob(), relayBlob(), relayBlob(), relayBlob()]))]);

    for (const result of results) {
      if (!result.ok) throw new Error(result.message);
      expect(result.bodyEncoding).toBe('base64');
      const bytes = Buffer.from(result.body, 'base64');
      expect(bytes.includes(Buffer.from(ECHOED))).toBe(false);
      expect(bytes.includes(Buffer.from('[REDACTED]'))).toBe(true);
    }
    expect(turns).toBeGreaterThan(1);
    expect(longestMs, `longest CPU stretch without a timer turn: ${longestMs.toFixed(1)} ms`).toBeLessThan(MAX_CPU_BETWEEN_TURNS_MS);
  });

  it(`[redaction-never-freezes] (fixed: one account could freeze the server): the largest configuration allowed (100 values of 8 KiB) is compiled without holding the event loop for ${MAX_CPU_BETWEEN_TURNS_MS} ms of CPU`, async () => {
    const largest = Array.from({ length: 100 }, () => `Bearer ${randomBytes(6200).toString('base64url').slice(0, MAX_HEADER_VALUE_LENGTH - 7)}`);
    const { result: redactor, longestMs, turns } = await longestCpuBetweenTurns(() => createRedactorAsync(largest));
    expect(redactor.size.states).toBeGreaterThan(1_000_000);
    expect(turns).toBeGreaterThan(10);
    expect(longestMs, `longest CPU stretch without a timer turn: ${longestMs.toFixed(1)} ms`).toBeLessThan(MAX_CPU_BETWEEN_TURNS_MS);
    expect(redactor.text(`x ${largest[99]!.slice(7)} y`)).toBe('x [REDACTED] y');
  });
});
