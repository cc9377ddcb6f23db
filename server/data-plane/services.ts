import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Executor, Handle } from '@/db/client';
import { env } from '@/core/env';
import { operatorNetworkPolicy } from '@/core/upstream/network-policy';
import type { NetworkPolicy } from '@/core/upstream/types';
import { RuntimeCache, type RuntimeCacheOptions } from './cache/config-cache';
import { LeasedRateLimiter, type LeasedRateLimiterOptions } from './leased-rate-limiter';
import { UsageRecorder, type UsageRecorderOptions } from './usage';

/** What every data-plane route shares: one per process. */
export type RuntimeServices = {
  db: Executor;
  cache: RuntimeCache;
  limiter: LeasedRateLimiter;
  usage: UsageRecorder;
  /** RUNTIME_RATE_LIMIT_PER_MINUTE: calls per server key per minute. */
  rateLimitPerMinute: number;
  /** WIDGET_CHAT_RATE_LIMIT_PER_MINUTE and WIDGET_CHAT_CLIENT_RATE_LIMIT_PER_MINUTE: chat messages per widget token and per client address. */
  chatRateLimits: ChatRateLimits;
  /** The operator's RUNTIME_PRIVATE_HOSTS. */
  network: NetworkPolicy;
  /** Stops listening, gives unused rate-limit leases back and writes the gathered usage. */
  close(): Promise<void>;
};

/** One request to a data-plane route. */
export type RuntimeContext = {
  req: IncomingMessage;
  res: ServerResponse;
  /** Named segments of the route pattern (`/api/v1/widgets/:token/chat` → `token`). */
  params: Readonly<Record<string, string>>;
  /** For a pattern ending in `/*`: the raw rest of the URL after the prefix, path and query ('' when none). */
  rest: string;
  /** As the front door determined it (socket peer, or TRUSTED_PROXY_HOPS): for throttling, never from a client header. */
  clientAddress: string | null;
  services: RuntimeServices;
};

export type RuntimeHandler = (ctx: RuntimeContext) => Promise<void>;

/** Operator settings are read once at start (from the environment unless given here). */
export type ChatRateLimits = { perToken: number; perClient: number };

export type RuntimeServicesOptions = {
  rateLimitPerMinute?: number;
  chatRateLimits?: Partial<ChatRateLimits>;
  network?: NetworkPolicy;
  cache?: Omit<RuntimeCacheOptions, 'db'>;
  limiter?: Omit<LeasedRateLimiterOptions, 'db'>;
  usage?: Omit<UsageRecorderOptions, 'db'>;
};

/** Builds the caches on the open database and starts listening for admin changes. */
export async function startRuntimeServices(handle: Handle, options: RuntimeServicesOptions = {}): Promise<RuntimeServices> {
  const { db } = handle;
  const cache = new RuntimeCache({ db, maxStaleMs: env().RUNTIME_MAX_STALENESS_SECONDS * 1000, ...options.cache });
  await cache.attach(handle);
  const limiter = new LeasedRateLimiter({ db, ...options.limiter });
  const usage = new UsageRecorder({ db, ...options.usage });
  return {
    db,
    cache,
    limiter,
    usage,
    rateLimitPerMinute: options.rateLimitPerMinute ?? env().RUNTIME_RATE_LIMIT_PER_MINUTE,
    chatRateLimits: {
      perToken: options.chatRateLimits?.perToken ?? env().WIDGET_CHAT_RATE_LIMIT_PER_MINUTE,
      perClient: options.chatRateLimits?.perClient ?? env().WIDGET_CHAT_CLIENT_RATE_LIMIT_PER_MINUTE,
    },
    network: options.network ?? operatorNetworkPolicy(),
    close: async () => {
      await cache.close();
      await limiter.close();
      await usage.close();
    },
  };
}
