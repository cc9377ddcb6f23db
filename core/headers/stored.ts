import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { globalHeaders } from '@/db/schema';
import { decryptSecret } from '@/core/crypto/aead';
import { inEnvironment } from '@/core/environments';
import { emitWebhookEventOnce } from '@/core/webhooks/emit';
import type { DashboardHeader } from '@/core/upstream/types';

/**
 * A dashboard header, decrypted. `rotatedAt` is the database's exact text of when its current value
 * was set: usage counts written later apply only while that value is still the current one.
 */
export type StoredHeader = DashboardHeader & { rotatedAt: string };

/**
 * One environment's dashboard headers (Production when none is named), decrypted. Server-side only. Throws
 * DecryptionError (naming the key version, never a value) when one can't be decrypted. The runtime reads
 * every environment at once (loadHeadersByEnvironment); the dashboard reads this per test request.
 */
export async function loadDashboardHeaders(db: Executor, { copilotId, environmentId }: { copilotId: string; environmentId?: string }): Promise<StoredHeader[]> {
  const rows = await selectHeaders(db, and(eq(globalHeaders.copilotId, copilotId), inEnvironment(globalHeaders.environmentId, { copilotId, environmentId })));
  return rows.map((row) => openHeader(copilotId, row));
}

/**
 * Every environment's dashboard headers, decrypted, by environment id: what the runtime keeps per copilot
 * configuration (server/data-plane/cache/config-cache.ts). Throws DecryptionError like loadDashboardHeaders.
 */
export async function loadHeadersByEnvironment(db: Executor, { copilotId }: { copilotId: string }): Promise<Map<string, StoredHeader[]>> {
  const rows = await selectHeaders(db, eq(globalHeaders.copilotId, copilotId));
  const byEnvironment = new Map<string, StoredHeader[]>();
  for (const row of rows) {
    const list = byEnvironment.get(row.environmentId) ?? [];
    list.push(openHeader(copilotId, row));
    byEnvironment.set(row.environmentId, list);
  }
  return byEnvironment;
}

function selectHeaders(db: Executor, where: SQL | undefined) {
  return db
    .select({
      id: globalHeaders.id,
      environmentId: globalHeaders.environmentId,
      name: globalHeaders.name,
      ciphertext: globalHeaders.ciphertext,
      keyVersion: globalHeaders.keyVersion,
      allowWidgetOverride: globalHeaders.allowWidgetOverride,
      scopeHost: globalHeaders.scopeHost,
      scopePathPrefix: globalHeaders.scopePathPrefix,
      rotatedAt: sql<string>`${globalHeaders.rotatedAt}::text`,
    })
    .from(globalHeaders)
    .where(where);
}

type HeaderRow = Awaited<ReturnType<typeof selectHeaders>>[number];

/** Values stay bound to (copilot, header), not to the environment: rows moved into Production decrypt unchanged. */
function openHeader(copilotId: string, row: HeaderRow): StoredHeader {
  return {
    id: row.id,
    name: row.name,
    allowWidgetOverride: row.allowWidgetOverride,
    scopeHost: row.scopeHost,
    scopePathPrefix: row.scopePathPrefix,
    rotatedAt: row.rotatedAt,
    value: decryptSecret({ ciphertext: row.ciphertext, keyVersion: row.keyVersion }, { copilotId, headerId: row.id }),
  };
}

export type HeaderUse = { id: string; rotatedAt: string; authFailures: number; lastUsedAt: Date };

/**
 * Records that headers were sent, and adds 401/403 answers to each header's count since its last
 * rotation — only while the value that was sent is still current (a rotation in between resets the
 * count, and answers to the old value must not land on the new one). No values.
 */
export async function recordHeaderUsage(db: Executor, uses: readonly HeaderUse[]): Promise<void> {
  if (uses.length === 0) return;
  const payload = JSON.stringify(uses.map((u) => ({ id: u.id, rotated_at: u.rotatedAt, failures: u.authFailures, at: u.lastUsedAt.toISOString() })));
  // One row per header: UPDATE … FROM applies only one joined row to each target row, so uses of the same
  // header under two values (a batch that spans a rotation) are summed here first. A failure counts only
  // when it was answered to the header's current value.
  // One transaction: the counts and the events they cause commit together (a retried flush neither double-counts nor loses an event).
  await db.transaction(async (tx) => {
    const counted = (await tx.execute(sql`
      update ${globalHeaders} as h
      set last_used_at = greatest(coalesce(h.last_used_at, u.at), u.at),
          auth_failures_since_rotation = h.auth_failures_since_rotation + u.failures
      from (
        select r.id, max(r.at) as at, (coalesce(sum(r.failures) filter (where r.rotated_at = g.rotated_at), 0))::int as failures
        from jsonb_to_recordset(${payload}::jsonb) as r(id uuid, rotated_at timestamptz, failures int, at timestamptz)
        join ${globalHeaders} as g on g.id = r.id
        group by r.id
      ) as u
      where h.id = u.id
      returning h.id, h.copilot_id, h.name, u.failures, h.auth_failures_since_rotation`)) as unknown as {
      rows: { id: string; copilot_id: string; name: string; failures: number; auth_failures_since_rotation: number }[];
    };
    // A dashboard header refused with 401/403 tells the copilot's webhooks — once an hour at most per header.
    for (const row of counted.rows) {
      if (row.failures <= 0) continue;
      await emitWebhookEventOnce(
        tx,
        `credential.auth_failed:${row.id}`,
        { copilotId: row.copilot_id, type: 'credential.auth_failed', data: { header: { id: row.id, name: row.name }, failures: row.failures, failures_since_rotation: row.auth_failures_since_rotation } },
        { everyMs: AUTH_FAILED_EVERY_MS },
      );
    }
  });
}

/** At most one `credential.auth_failed` event per header in this time. */
export const AUTH_FAILED_EVERY_MS = 3_600_000;

/**
 * What one call did with the headers it sent: used them, and got a 401/403 or not. With `answeredIds`
 * (the headers on the request the answer is to, after redirects), a 401/403 counts only against those:
 * a header sent on an earlier hop could not have caused it. [refusals-attributed-on-evidence] When the call
 * also carried per-user credentials (a widget's or a session's headers), or the copilot expects them, a
 * 401/403 is not counted against any dashboard header: it may be the user's token that was refused or missing.
 */
export function headerUsesOf(
  headers: readonly StoredHeader[],
  usedIds: readonly string[],
  status: number | null,
  at = new Date(),
  answeredIds?: readonly string[],
  { perUserCredentials = false }: { perUserCredentials?: boolean } = {},
): HeaderUse[] {
  const refused = !perUserCredentials && (status === 401 || status === 403);
  return usedIds.flatMap((id) => {
    const header = headers.find((h) => h.id === id);
    const authFailures = refused && (!answeredIds || answeredIds.includes(id)) ? 1 : 0;
    return header ? [{ id, rotatedAt: header.rotatedAt, authFailures, lastUsedAt: at }] : [];
  });
}
