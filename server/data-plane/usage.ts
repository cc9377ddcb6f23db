import { componentLogger } from '@/core/observability/log';
import type { Executor } from '@/db/client';
import { headerUsesOf, recordHeaderUsage, type HeaderUse, type StoredHeader } from '@/core/headers/stored';
import { recordServerKeyUsage } from '@/server/data-plane/cache/server-key-queries';

export type UsageRecorderOptions = { db: Executor; flushIntervalMs?: number };

/** For metrics: when the oldest record not yet written was gathered (null: none waits), the last successful write, failed writes. */
export type UsageStats = { oldestPendingAt: number | null; lastFlushAt: number | null; failures: number };

const log = componentLogger('runtime');

/**
 * "Last used" of server keys and dashboard headers, and 401/403 answers per header, gathered in
 * memory and written in one batch every few seconds (and on close, so a clean shutdown loses
 * nothing): a write per call would make every call wait on the same hot rows.
 */
export class UsageRecorder {
  private readonly db: Executor;
  private readonly timer: NodeJS.Timeout;
  private keys = new Map<string, Date>();
  private headers = new Map<string, HeaderUse>();
  private flushing: Promise<void> | null = null;
  /** Date.now() of the oldest record gathered since the last write began (0: none). */
  private pendingSince = 0;
  private lastFlushAt: number | null = null;
  private failures = 0;

  constructor({ db, flushIntervalMs = 5_000 }: UsageRecorderOptions) {
    this.db = db;
    this.timer = setInterval(() => void this.flush(), flushIntervalMs);
    this.timer.unref();
  }

  recordKeyUse(keyId: string, at = new Date()): void {
    if (this.pendingSince === 0) this.pendingSince = Date.now();
    const previous = this.keys.get(keyId);
    if (!previous || previous < at) this.keys.set(keyId, at);
  }

  /**
   * The headers one call sent (`usedIds` among `headers`), and the API's status (null: no answer).
   * `perUserCredentials`: the call carried (or the copilot expects) a user's own credentials, so a 401/403 says
   * nothing about the dashboard's headers.
   */
  recordHeaderUse(headers: readonly StoredHeader[], usedIds: readonly string[], status: number | null, { perUserCredentials = false, at = new Date() }: { perUserCredentials?: boolean; at?: Date } = {}): void {
    for (const use of headerUsesOf(headers, usedIds, status, at, undefined, { perUserCredentials })) this.merge(use);
  }

  get usageStats(): UsageStats {
    return { oldestPendingAt: this.pendingSince === 0 ? null : this.pendingSince, lastFlushAt: this.lastFlushAt, failures: this.failures };
  }

  /** Writes what was gathered; what could not be written is kept for the next flush. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing;
    await this.flush();
  }

  private async write(): Promise<void> {
    const keys = this.keys;
    const headers = this.headers;
    if (keys.size === 0 && headers.size === 0) {
      this.lastFlushAt = Date.now();
      return;
    }
    const pendingSince = this.pendingSince;
    this.pendingSince = 0;
    this.keys = new Map();
    this.headers = new Map();
    try {
      await recordServerKeyUsage(this.db, [...keys].map(([keyId, lastUsedAt]) => ({ keyId, lastUsedAt })));
      keys.clear();
      await recordHeaderUsage(this.db, [...headers.values()]);
      this.lastFlushAt = Date.now();
    } catch (error) {
      this.failures++;
      this.pendingSince = pendingSince;
      log.error('writing usage failed, will retry', error);
      for (const [keyId, at] of keys) this.recordKeyUse(keyId, at);
      for (const use of headers.values()) this.merge(use);
    }
  }

  private merge(use: HeaderUse): void {
    if (this.pendingSince === 0) this.pendingSince = Date.now();
    const key = `${use.id}\n${use.rotatedAt}`;
    const entry = this.headers.get(key);
    if (!entry) {
      this.headers.set(key, use);
      return;
    }
    entry.authFailures += use.authFailures;
    if (entry.lastUsedAt < use.lastUsedAt) entry.lastUsedAt = use.lastUsedAt;
  }
}
