import type { Executor } from '@/db/client';
import { hitRateLimit, retryAfterSeconds } from '@/core/rate-limit';
import { rateLimitRefusals, type RateLimitScope } from '@/core/observability/metrics';
import type { RateLimiter } from '@/core/runtime/rate-limiter';

/** Counts one event for `key`; the chat endpoint depends on nothing more, so an in-memory limiter can replace this one. */
export type ChatRateLimiter = { hit(key: string): Promise<{ allowed: boolean; retryAfterSeconds: number }> };

const WINDOW_MS = 60_000;

function refusalsOf(prefix: string): { inc(): void } {
  const scope = prefix.replaceAll('-', '_');
  return rateLimitRefusals(scope === 'widget_chat_token' || scope === 'widget_chat_client' ? (scope as RateLimitScope) : 'other');
}

/** A per-minute limit counted in the database (core/rate-limit.ts), so it holds across instances. */
export function databaseRateLimiter(db: () => Promise<Executor>, { perMinute, prefix }: { perMinute: number; prefix: string }): ChatRateLimiter {
  const refusals = refusalsOf(prefix);
  return {
    async hit(key) {
      const count = await hitRateLimit(await db(), { key: `${prefix}:${key}`, windowMs: WINDOW_MS });
      if (count > perMinute) refusals.inc();
      return { allowed: count <= perMinute, retryAfterSeconds: retryAfterSeconds(WINDOW_MS) };
    },
  };
}

/** The data plane's in-memory limiter (leases from PostgreSQL, never more than the limit cluster-wide). */
export function leasedRateLimiter(limiter: RateLimiter, { perMinute, prefix }: { perMinute: number; prefix: string }): ChatRateLimiter {
  const refusals = refusalsOf(prefix);
  return {
    async hit(key) {
      const decision = await limiter.take(`${prefix}:${key}`, perMinute);
      if (!decision.ok) refusals.inc();
      return decision.ok ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: decision.retryAfterSeconds };
    },
  };
}
