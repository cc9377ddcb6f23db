import { componentLogger } from '@/core/observability/log';
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { rateLimits } from '@/db/schema';
import { pruneRateLimits, retryAfterSeconds } from '@/core/rate-limit';

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export type LeasedRateLimiterOptions = {
  db: Executor;
  windowMs?: number;
  /** One instance leases at most this share of a key's limit at a time (at least one call). */
  maxLeaseShare?: number;
  /** Unused leased calls of a key that saw no call for this long go back to the pool. */
  returnAfterMs?: number;
  /** After the database said a key is used up, ask it again at most this often. */
  exhaustedRecheckMs?: number;
};

type KeyState = {
  windowStart: number;
  /** Leased from the database for this window and not used yet. */
  tokens: number;
  /** Calls admitted since the last lease started: the pace the next lease is sized for. */
  recent: number;
  /** Size of the last lease granted: a refill starts when half of it is used. */
  leaseSize: number;
  /** Calls waiting for a lease right now. */
  waiting: number;
  lastTakeAt: number;
  exhaustedAt: number;
  leasing: Promise<void> | null;
};

const ALLOWED: RateDecision = { ok: true };
const log = componentLogger('runtime');
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Fixed-window rate limits counted in memory and reconciled with PostgreSQL in the background, so a
 * call normally needs no database round trip. Each instance leases blocks of calls from the window's
 * row (one atomic upsert grants at most what is left under the limit), admits calls from its block,
 * refills before it runs dry, and gives unused calls back when the key goes quiet or the instance stops.
 *
 * Tolerance: the cluster never admits more than the limit in a window. It may refuse early while
 * other instances hold unused leased calls — at most max(1, limit × maxLeaseShare) per instance,
 * given back within `returnAfterMs` of that instance's last call for the key.
 */
export class LeasedRateLimiter {
  /** Round trips to the database: leases taken and given back. */
  readonly stats = { leases: 0, givenBack: 0 };
  private readonly db: Executor;
  private readonly windowMs: number;
  private readonly maxLeaseShare: number;
  private readonly returnAfterMs: number;
  private readonly exhaustedRecheckMs: number;
  private readonly states = new Map<string, KeyState>();
  private readonly timer: NodeJS.Timeout;
  private lastPrune = Date.now();
  private sweeping: Promise<void> | null = null;

  constructor(options: LeasedRateLimiterOptions) {
    this.db = options.db;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxLeaseShare = options.maxLeaseShare ?? 0.1;
    this.returnAfterMs = options.returnAfterMs ?? 1_000;
    this.exhaustedRecheckMs = options.exhaustedRecheckMs ?? 1_000;
    this.timer = setInterval(() => void this.sweep(false), this.returnAfterMs);
    this.timer.unref();
  }

  /** Counts one call against `key`'s `limit` per window; refuses when the window is used up. */
  take(key: string, limit: number): RateDecision | Promise<RateDecision> {
    const now = Date.now();
    const state = this.stateFor(key, now);
    state.lastTakeAt = now;
    if (state.tokens > 0) {
      state.tokens--;
      state.recent++;
      if (state.tokens * 2 <= state.leaseSize && !state.leasing && state.exhaustedAt === 0) this.startLease(key, state, limit);
      return ALLOWED;
    }
    if (state.exhaustedAt !== 0 && now - state.exhaustedAt < this.exhaustedRecheckMs) return this.refused(now);
    return this.takeAfterLease(key, state, limit);
  }

  /** Gives every unused leased call back (on shutdown). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
    await this.sweep(true);
  }

  private async takeAfterLease(key: string, state: KeyState, limit: number): Promise<RateDecision> {
    state.waiting++;
    try {
      // Each lease either hands out calls or finds the window used up, so this ends.
      for (;;) {
        await (state.leasing ?? this.startLease(key, state, limit));
        if (this.states.get(key) !== state) return this.take(key, limit); // the window rolled over meanwhile
        if (state.tokens > 0) {
          state.tokens--;
          state.recent++;
          return ALLOWED;
        }
        if (state.exhaustedAt !== 0) return this.refused(Date.now());
      }
    } finally {
      state.waiting--;
    }
  }

  private refused(now: number): RateDecision {
    return { ok: false, retryAfterSeconds: retryAfterSeconds(this.windowMs, now) };
  }

  private stateFor(key: string, now: number): KeyState {
    const windowStart = Math.floor(now / this.windowMs) * this.windowMs;
    let state = this.states.get(key);
    // A lease belongs to its window: what is left of the previous one simply expires with it.
    if (!state || state.windowStart !== windowStart) {
      state = { windowStart, tokens: 0, recent: 0, leaseSize: 0, waiting: 0, lastTakeAt: now, exhaustedAt: 0, leasing: null };
      this.states.set(key, state);
    }
    return state;
  }

  private startLease(key: string, state: KeyState, limit: number): Promise<void> {
    // Twice what the last lease lasted for (or what is waiting), so a busy key's leases grow until
    // they outlast a refill — but this instance never holds more than its share.
    const maxLease = Math.max(1, Math.floor(limit * this.maxLeaseShare));
    const want = Math.max(1, Math.min(maxLease - state.tokens, Math.max(state.recent * 4, state.waiting)));
    state.recent = 0;
    const leasing = this.lease(key, state.windowStart, want, limit).then(
      (granted) => {
        state.tokens += granted;
        state.leaseSize = granted;
        state.exhaustedAt = granted < want ? Date.now() : 0;
      },
      (error: unknown) => {
        log.error('rate-limit lease failed', error);
        throw error;
      },
    );
    state.leasing = leasing.finally(() => {
      state.leasing = null;
    });
    state.leasing.catch(() => undefined);
    return state.leasing;
  }

  /**
   * Grants up to `want` calls, never taking the window's granted total past `limit`. Both SET
   * expressions see the row as it was, and the row lock makes `last_grant` this statement's own.
   */
  private async lease(key: string, windowStart: number, want: number, limit: number): Promise<number> {
    this.stats.leases++;
    const grant = sql`least(${want}::int, greatest(0, ${limit}::int - ${rateLimits.count}))`;
    const first = Math.min(want, limit);
    const [row] = await this.db
      .insert(rateLimits)
      .values({ key, windowStart: new Date(windowStart), count: first, lastGrant: first })
      .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + ${grant}`, lastGrant: grant } })
      .returning({ granted: rateLimits.lastGrant });
    return row?.granted ?? 0;
  }

  private sweep(all: boolean): Promise<void> {
    const run = async () => {
      const now = Date.now();
      const currentWindow = Math.floor(now / this.windowMs) * this.windowMs;
      const giveBack: { key: string; windowStart: number; tokens: number }[] = [];
      for (const [key, state] of this.states) {
        if (state.windowStart !== currentWindow) {
          if (!state.leasing) this.states.delete(key);
          continue;
        }
        if (state.tokens > 0 && !state.leasing && (all || now - state.lastTakeAt >= this.returnAfterMs)) {
          giveBack.push({ key, windowStart: state.windowStart, tokens: state.tokens });
          state.tokens = 0;
        }
      }
      try {
        for (const g of giveBack) {
          this.stats.givenBack++;
          await this.db
            .update(rateLimits)
            .set({ count: sql`greatest(0, ${rateLimits.count} - ${g.tokens}::int)` })
            .where(and(eq(rateLimits.key, g.key), eq(rateLimits.windowStart, new Date(g.windowStart))));
        }
        if (now - this.lastPrune > PRUNE_EVERY_MS) {
          this.lastPrune = now;
          await pruneRateLimits(this.db, now);
        }
      } catch (error) {
        log.error('giving back rate-limit leases failed', error);
      }
    };
    this.sweeping = run().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }
}
