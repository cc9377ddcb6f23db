import { rateLimitRefusals, type RateLimitScope } from '@/core/observability/metrics';
import type { LeasedRateLimiter } from '../leased-rate-limiter';

/** Counts one chat message for `key` (a widget token or a client address). */
export type ChatRateLimiter = { hit(key: string): Promise<{ allowed: boolean; retryAfterSeconds: number }> };

function refusalsOf(prefix: string): { inc(): void } {
  const scope = prefix.replaceAll('-', '_');
  return rateLimitRefusals(scope === 'widget_chat_token' || scope === 'widget_chat_client' ? (scope as RateLimitScope) : 'other');
}

/** The data plane's in-memory limiter (leases from PostgreSQL, never more than the limit cluster-wide). */
export function leasedRateLimiter(limiter: LeasedRateLimiter, { perMinute, prefix }: { perMinute: number; prefix: string }): ChatRateLimiter {
  const refusals = refusalsOf(prefix);
  return {
    async hit(key) {
      const decision = await limiter.take(`${prefix}:${key}`, perMinute);
      if (!decision.ok) refusals.inc();
      return decision.ok ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: decision.retryAfterSeconds };
    },
  };
}
