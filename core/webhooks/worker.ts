// The webhook delivery worker (docs/webhooks.md, "Delivery"): runs in the app server process, off the request
// path. It claims due rows of the PostgreSQL-backed queue with FOR UPDATE SKIP LOCKED — so two workers (two app
// instances) never hold the same row — and leases them: a row whose worker died mid-delivery is claimed again
// once its lease has passed. A failed attempt is retried with exponential backoff and jitter; after the last
// one the row is marked failed. Everything lives in the table, so a restart loses nothing.
import { sql } from 'drizzle-orm';
import { Counter } from 'prom-client';
import { componentLogger } from '@/core/observability/log';
import { registry } from '@/core/observability/metrics';
import type { Executor, Handle } from '@/db/client';
import { listen, type Listener } from '@/db/listen';
import type { NetworkPolicy } from '@/core/upstream/types';
import { emitWebhookEventOnce, WEBHOOK_CHANNEL } from './emit';
import { decryptWebhookSecret } from './secret';
import { sendWebhook, type SendOutcome } from './send';

const log = componentLogger('webhooks');

export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';

const deliveries = new Counter({
  name: 'copilot_headers_webhook_deliveries_total',
  help: 'Webhook delivery attempts, by outcome: delivered, retry (failed, will be tried again) or failed (gave up).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export type WebhookWorkerOptions = {
  network: NetworkPolicy;
  /** How often due rows are looked for even without a notification (a retry's time coming, a missed NOTIFY). */
  pollMs?: number;
  /** How long a claimed row is held: after this, another worker may claim it again. */
  leaseMs?: number;
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  /** The wait after the first failed attempt; each next one is 4× longer, ±20 % jitter. */
  retryBaseMs?: number;
  timeoutMs?: number;
  /** Rows claimed at once (and sent in parallel). */
  batchSize?: number;
  /** How often headers overdue for rotation are looked for (each is reported once per value). */
  overdueScanMs?: number;
};

/** 5 attempts: at once, then after ~45 s, 3 min, 12 min and 48 min (about an hour in all). */
/** How much longer than a delivery's deadline a lease lasts at least (decrypting, recording the attempt). */
const LEASE_MARGIN_MS = 1_000;

export const DEFAULT_WEBHOOK_OPTIONS = { pollMs: 1_000, leaseMs: 60_000, maxAttempts: 5, retryBaseMs: 45_000, timeoutMs: 10_000, batchSize: 10, overdueScanMs: 60_000 } as const;

/** The wait before attempt `attempts + 1`, after `attempts` failed ones. */
export function retryDelayMs(attempts: number, baseMs: number, random = Math.random): number {
  const exact = baseMs * 4 ** (attempts - 1);
  return Math.round(exact * (0.8 + 0.4 * random()));
}

type Claimed = { id: string; eventId: string; eventType: string; body: string; attempts: number; copilotId: string; endpointId: string; url: string; enabled: boolean; ciphertext: Buffer; keyVersion: number };

export class WebhookWorker {
  private readonly options: Required<WebhookWorkerOptions>;
  private timer: NodeJS.Timeout | null = null;
  private scanTimer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> | null = null;
  private listener: Listener | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  /** While claims fail (the database is away) one log line, not one per poll; another when they work again. */
  private claimsFailing = false;
  /** For tests and the closing note: attempts made by this worker, by outcome. */
  readonly counts: Record<DeliveryOutcome | 'lost', number> = { delivered: 0, retry: 0, failed: 0, lost: 0 };

  constructor(
    private readonly db: Executor,
    options: WebhookWorkerOptions,
  ) {
    const merged = { ...DEFAULT_WEBHOOK_OPTIONS, ...options };
    // A lease that could pass while the row is still being sent would let a second worker send it again: a lease
    // always outlasts a delivery's deadline (found when a test's 1 s lease met its 5 s deadline on a busy machine).
    this.options = { ...merged, leaseMs: Math.max(merged.leaseMs, merged.timeoutMs + LEASE_MARGIN_MS) };
  }

  /** Listens for queued rows (NOTIFY) and polls; the first pass runs at once. */
  async start(handle?: Handle): Promise<this> {
    if (handle) this.listener = await listen(handle, WEBHOOK_CHANNEL, { onNotification: () => this.wake(), onConnected: () => this.wake() });
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.scanTimer = setInterval(() => void this.scanNow(), this.options.overdueScanMs);
    this.scanTimer.unref();
    this.wake();
    void this.scanNow();
    return this;
  }

  /** Runs a pass now (or right after the one running). */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again && !this.closed) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Waits for the pass in flight; claimed rows it could not finish stay leased and are claimed again later. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.scanTimer) clearInterval(this.scanTimer);
    await this.listener?.close();
    await this.scanning;
    await this.running;
  }

  /** Claims up to `batchSize` due rows for this worker (exported for tests that play a worker that dies). */
  async claim(limit = this.options.batchSize): Promise<Claimed[]> {
    const result = (await this.db.execute(sql`
      with due as (
        select id from webhook_deliveries
        where status = 'pending' and next_attempt_at <= now() and (locked_until is null or locked_until <= now())
        order by next_attempt_at
        limit ${limit}
        for update skip locked
      )
      update webhook_deliveries d
      set locked_until = now() + make_interval(secs => ${this.options.leaseMs / 1000}), attempts = d.attempts + 1
      from due, webhook_endpoints e
      where d.id = due.id and e.id = d.endpoint_id
      returning d.id, d.event_id, d.event_type, d.body, d.attempts, d.copilot_id, d.endpoint_id, e.url, e.enabled, e.secret_ciphertext, e.secret_key_version`)) as unknown as {
      rows: { id: string; event_id: string; event_type: string; body: string; attempts: number; copilot_id: string; endpoint_id: string; url: string; enabled: boolean; secret_ciphertext: Uint8Array; secret_key_version: number }[];
    };
    return result.rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      eventType: r.event_type,
      body: r.body,
      attempts: r.attempts,
      copilotId: r.copilot_id,
      endpointId: r.endpoint_id,
      url: r.url,
      enabled: r.enabled,
      ciphertext: Buffer.from(r.secret_ciphertext),
      keyVersion: r.secret_key_version,
    }));
  }

  /**
   * Queues `header.rotation_overdue` for every header past its rotation reminder whose copilot has an endpoint
   * for it — once per value (the mark's key holds the value's rotated_at), so a rotated header can be overdue again.
   */
  scanNow(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.scanning ??= this.scanOverdue()
      .catch((error: unknown) => log.error('looking for headers overdue for rotation failed; trying again at the next scan', error))
      .finally(() => (this.scanning = null));
    return this.scanning;
  }

  private async scanOverdue(): Promise<void> {
    const due = (await this.db.execute(sql`
      select h.id, h.copilot_id, h.name, h.rotation_days, h.rotated_at,
             'header.rotation_overdue:' || h.id || ':' || floor(extract(epoch from h.rotated_at) * 1000)::bigint as mark
      from global_headers h
      where h.rotation_days is not null
        and h.rotated_at + make_interval(days => h.rotation_days) <= now()
        and exists (select 1 from webhook_endpoints e where e.copilot_id = h.copilot_id and e.enabled and 'header.rotation_overdue' = any(e.event_types))
        and not exists (select 1 from webhook_event_marks m where m.key = 'header.rotation_overdue:' || h.id || ':' || floor(extract(epoch from h.rotated_at) * 1000)::bigint)
      limit 100`)) as unknown as { rows: { id: string; copilot_id: string; name: string; rotation_days: number; rotated_at: Date | string; mark: string }[] };
    for (const row of due.rows) {
      const rotatedAt = new Date(row.rotated_at);
      await this.db.transaction(async (tx) => {
        await emitWebhookEventOnce(tx, row.mark, {
          copilotId: row.copilot_id,
          type: 'header.rotation_overdue',
          data: {
            header: { id: row.id, name: row.name },
            rotated_at: rotatedAt.toISOString(),
            due_at: new Date(rotatedAt.getTime() + row.rotation_days * 86_400_000).toISOString(),
            rotation_days: row.rotation_days,
          },
        });
      });
    }
  }

  private async drain(): Promise<void> {
    while (!this.closed) {
      let claimed: Claimed[];
      try {
        claimed = await this.claim();
      } catch (error) {
        if (!this.claimsFailing) log.error('claiming webhook deliveries failed; trying again at every poll (logged once until it works)', error);
        this.claimsFailing = true;
        return;
      }
      if (this.claimsFailing) log.info('claiming webhook deliveries works again');
      this.claimsFailing = false;
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((row) => this.deliver(row)));
    }
  }

  private async deliver(row: Claimed): Promise<void> {
    let outcome: SendOutcome;
    if (!row.enabled && row.eventType !== 'webhook.test') {
      outcome = { ok: false, statusCode: null, durationMs: 0, error: 'destination_refused' };
    } else {
      let secret: string;
      try {
        secret = decryptWebhookSecret({ ciphertext: row.ciphertext, keyVersion: row.keyVersion }, { copilotId: row.copilotId, webhookId: row.endpointId, url: row.url });
      } catch (error) {
        log.error('a webhook signing secret could not be decrypted; the delivery is not sent', error, { endpointId: row.endpointId });
        await this.finish(row, { ok: false, statusCode: null, durationMs: 0, error: 'destination_refused' }, true);
        return;
      }
      outcome = await sendWebhook({ url: row.url, secret, body: row.body, eventId: row.eventId, eventType: row.eventType }, { network: this.options.network, timeoutMs: this.options.timeoutMs });
    }
    await this.finish(row, outcome, !row.enabled);
  }

  /**
   * Records an attempt — only while this worker still holds the row (same attempt count, still pending): a row
   * whose lease passed and was claimed again belongs to the other worker now. A write that fails (database gone)
   * leaves the row leased: it is claimed again after the lease and sent again (at least once, never lost).
   */
  private async finish(row: Claimed, outcome: SendOutcome, final = false): Promise<void> {
    const result: DeliveryOutcome = outcome.ok ? 'delivered' : final || row.attempts >= this.options.maxAttempts ? 'failed' : 'retry';
    const nextAttemptMs = result === 'retry' ? retryDelayMs(row.attempts, this.options.retryBaseMs) : 0;
    try {
      await this.db.execute(sql`
        update webhook_deliveries
        set status = ${result === 'retry' ? 'pending' : result}::webhook_delivery_status,
            locked_until = null,
            next_attempt_at = now() + make_interval(secs => ${nextAttemptMs / 1000}),
            last_status_code = ${outcome.statusCode},
            last_duration_ms = ${outcome.durationMs},
            last_error = ${outcome.ok ? null : outcome.error},
            delivered_at = ${outcome.ok ? sql`now()` : null}
        where id = ${row.id} and attempts = ${row.attempts} and status = 'pending'`);
      this.counts[result]++;
      deliveries.inc({ outcome: result });
      // A retry due before the next poll or two is woken for on time (later ones are found by the poll).
      if (result === 'retry' && nextAttemptMs < 2 * this.options.pollMs) setTimeout(() => this.wake(), nextAttemptMs + 5).unref();
    } catch (error) {
      this.counts.lost++;
      log.error('recording a webhook attempt failed; the row is claimed again after its lease', error, { deliveryId: row.id });
    }
  }
}

/** The app server's worker (server/main.ts): started with the runtime services, closed before the database. */
export async function startWebhookWorker(handle: Handle, options: WebhookWorkerOptions): Promise<WebhookWorker> {
  return new WebhookWorker(handle.db, options).start(handle);
}
