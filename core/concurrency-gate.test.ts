import { describe, expect, it } from 'vitest';
import { ConcurrencyGate, GateBusyError } from './concurrency-gate';

/** A job that runs until the test lets it finish, recording that it started. */
function blockingJob(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { job: async () => { log.push(name); await done; return name; }, finish };
}

const refusalOf = (promise: Promise<unknown>) => promise.then(() => 'ran', (error: unknown) => (error instanceof GateBusyError ? error.refusal : 'other error'));

describe('concurrency gate (bounds password hashing)', () => {
  it('runs N jobs at once, queues a few in order, and refuses the rest without running them', async () => {
    const gate = new ConcurrencyGate({ concurrency: 2, maxQueued: 2, queueTimeoutMs: 60_000, maxPerKey: 10 });
    const log: string[] = [];
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, ...blockingJob(log, name) }));
    const runs = jobs.map(({ name, job }) => gate.run(name, job));
    expect(await refusalOf(runs[4]!)).toBe('queue_full');
    await Promise.resolve();
    expect(log).toEqual(['a', 'b']);
    expect(gate.stats()).toMatchObject({ running: 2, queued: 2, started: 2, refused: 1 });
    jobs[1]!.finish();
    await runs[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['a', 'b', 'c']);
    for (const j of jobs) j.finish();
    expect(await Promise.all(runs.slice(0, 4))).toEqual(['a', 'b', 'c', 'd']);
    expect(log).toEqual(['a', 'b', 'c', 'd']);
    expect(gate.stats()).toEqual({ running: 0, queued: 0, started: 4, refused: 1 });
  });

  it('one key may hold only a few places, so one client cannot fill the queue; other keys still get in', async () => {
    const gate = new ConcurrencyGate({ concurrency: 1, maxQueued: 10, queueTimeoutMs: 60_000, maxPerKey: 2 });
    const log: string[] = [];
    const flood = Array.from({ length: 6 }, (_, i) => blockingJob(log, `flood ${i}`));
    const floodRuns = flood.map(({ job }) => refusalOf(gate.run('203.0.113.66', job)));
    const real = blockingJob(log, 'real');
    const realRun = gate.run('198.51.100.7', real.job);
    for (const j of [...flood, real]) j.finish();
    expect(await Promise.all(floodRuns)).toEqual(['ran', 'ran', 'key_limit', 'key_limit', 'key_limit', 'key_limit']);
    expect(await realRun).toBe('real');
    expect(log).toEqual(['flood 0', 'flood 1', 'real']);
  });

  it('a job that waits longer than the queue timeout is refused and never runs', async () => {
    const gate = new ConcurrencyGate({ concurrency: 1, maxQueued: 5, queueTimeoutMs: 30, maxPerKey: 5 });
    const log: string[] = [];
    const first = blockingJob(log, 'first');
    const running = gate.run(null, first.job);
    const waiting = refusalOf(gate.run(null, blockingJob(log, 'late').job));
    expect(await waiting).toBe('queue_timeout');
    first.finish();
    await running;
    expect(log).toEqual(['first']);
    expect(gate.stats()).toEqual({ running: 0, queued: 0, started: 1, refused: 1 });
  });

  it('a failing job frees its place', async () => {
    const gate = new ConcurrencyGate({ concurrency: 1, maxQueued: 0, queueTimeoutMs: 1_000, maxPerKey: 1 });
    await expect(gate.run('k', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await gate.run('k', async () => 'again')).toBe('again');
  });
});
