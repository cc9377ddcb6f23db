// Bounds expensive work (password hashing) in one process: a few jobs run at once, a short queue waits
// for a bounded time, and anything beyond that is refused at once, before any work is done. A key
// (e.g. the client address) may hold only a few places, so one client can't fill the queue alone.

export type GateRefusal = 'key_limit' | 'queue_full' | 'queue_timeout';

export class GateBusyError extends Error {
  constructor(readonly refusal: GateRefusal) {
    super(`Too much work in progress (${refusal.replace('_', ' ')}); try again in a few seconds.`);
    this.name = 'GateBusyError';
  }
}

export type GateLimits = {
  /** Jobs running at once. */
  concurrency: number;
  /** Jobs waiting for a free place; one more is refused. */
  maxQueued: number;
  /** How long a job may wait in the queue before it is refused. */
  queueTimeoutMs: number;
  /** Places (running or waiting) one key may hold at once. */
  maxPerKey: number;
};

export type GateStats = { running: number; queued: number; started: number; refused: number };

type Waiter = { key: string | null; start: () => void; timer: NodeJS.Timeout };

export class ConcurrencyGate {
  private running = 0;
  private readonly queue: Waiter[] = [];
  private readonly heldByKey = new Map<string, number>();
  private started = 0;
  private refused = 0;

  constructor(private readonly limits: GateLimits) {}

  /** Runs `job` when a place is free, or throws GateBusyError without running it. */
  async run<T>(key: string | null, job: () => Promise<T>): Promise<T> {
    await this.enter(key);
    this.started++;
    try {
      return await job();
    } finally {
      this.leave(key);
    }
  }

  stats(): GateStats {
    return { running: this.running, queued: this.queue.length, started: this.started, refused: this.refused };
  }

  private enter(key: string | null): Promise<void> {
    const { concurrency, maxQueued, queueTimeoutMs, maxPerKey } = this.limits;
    if (key !== null && (this.heldByKey.get(key) ?? 0) >= maxPerKey) return this.refuse('key_limit');
    if (this.running < concurrency) {
      this.running++;
      this.hold(key);
      return Promise.resolve();
    }
    if (this.queue.length >= maxQueued) return this.refuse('queue_full');
    this.hold(key);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        key,
        start: () => {
          clearTimeout(waiter.timer);
          this.running++;
          resolve();
        },
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiter), 1);
          this.release(key);
          this.refused++;
          reject(new GateBusyError('queue_timeout'));
        }, queueTimeoutMs),
      };
      this.queue.push(waiter);
    });
  }

  private leave(key: string | null): void {
    this.running--;
    this.release(key);
    this.queue.shift()?.start();
  }

  private hold(key: string | null): void {
    if (key !== null) this.heldByKey.set(key, (this.heldByKey.get(key) ?? 0) + 1);
  }

  private release(key: string | null): void {
    if (key === null) return;
    const held = (this.heldByKey.get(key) ?? 1) - 1;
    if (held > 0) this.heldByKey.set(key, held);
    else this.heldByKey.delete(key);
  }

  private refuse(refusal: GateRefusal): Promise<never> {
    this.refused++;
    return Promise.reject(new GateBusyError(refusal));
  }
}
