import 'server-only';
import { and, desc, eq, gte, ilike, isNull, like, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { auditEvents, type AuditMetadata } from '@/db/schema';
import { AUDIT_PAGE_SIZE, type AuditFilter } from './schema';
import { describeAuditEvent, displayIp } from './sentences';

/** What the browser and the CSV export get: the event in words. Metadata is never sent raw. */
export type AuditEventView = {
  id: number;
  /** ISO 8601, UTC. */
  at: string;
  action: string;
  actorEmail: string | null;
  target: string | null;
  sentence: string;
  details: string[];
  ip: string | null;
};

export type AuditPage = { events: AuditEventView[]; nextCursor: string | null };

const EMPTY_FILTER: AuditFilter = { action: null, actor: null, target: null, from: null, to: null };

/** ILIKE '%text%' with the user's % and _ taken literally. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const DAY_MS = 24 * 3600 * 1000;

function filterConditions(copilotId: string | null, filter: AuditFilter): (SQL | undefined)[] {
  return [
    copilotId ? eq(auditEvents.copilotId, copilotId) : isNull(auditEvents.copilotId),
    filter.action ? (filter.action.includes('.') ? eq(auditEvents.action, filter.action) : like(auditEvents.action, `${filter.action}.%`)) : undefined,
    filter.actor ? ilike(auditEvents.actorEmail, contains(filter.actor)) : undefined,
    filter.target ? ilike(auditEvents.target, contains(filter.target)) : undefined,
    // Whole days in UTC, both ends included.
    filter.from ? gte(auditEvents.at, new Date(`${filter.from}T00:00:00Z`)) : undefined,
    filter.to ? lt(auditEvents.at, new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + DAY_MS)) : undefined,
  ];
}

/** Rows strictly older than the cursor in (at, id) order: the next page of a newest-first listing. */
function afterCursor(cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const [micros, id] = cursor.split('.');
  // Exact to the microsecond (a JavaScript Date would round to milliseconds and skip or repeat rows).
  return sql`(${auditEvents.at}, ${auditEvents.id}) < (timestamptz 'epoch' + ${micros}::bigint * interval '1 microsecond', ${id}::bigint)`;
}

type Row = { id: number; action: string; target: string | null; actorEmail: string | null; metadata: AuditMetadata; ip: string | null; at: Date; micros: string };

function toView(row: Row): AuditEventView {
  const { sentence, details } = describeAuditEvent(row);
  return { id: row.id, at: row.at.toISOString(), action: row.action, actorEmail: row.actorEmail, target: row.target, sentence, details, ip: displayIp(row.ip) };
}

async function selectPage(db: Executor, copilotId: string | null, filter: AuditFilter, cursor: string | undefined, limit: number) {
  const rows = await db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      target: auditEvents.target,
      actorEmail: auditEvents.actorEmail,
      metadata: auditEvents.metadata,
      ip: auditEvents.ip,
      at: auditEvents.at,
      micros: sql<string>`(extract(epoch from ${auditEvents.at}) * 1000000)::bigint::text`,
    })
    .from(auditEvents)
    .where(and(...filterConditions(copilotId, filter), afterCursor(cursor)))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const page: Row[] = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return { page, nextCursor: more && last ? `${last.micros}.${last.id}` : null };
}

/**
 * One page of a copilot's events (or the instance-wide ones when `copilotId` is null), newest first.
 * Keyset pagination on (at, id): a deep page costs what the first one does.
 */
export async function listAuditPage(
  db: Executor,
  { copilotId, filter = EMPTY_FILTER, cursor, limit = AUDIT_PAGE_SIZE }: { copilotId: string | null; filter?: AuditFilter; cursor?: string; limit?: number },
): Promise<AuditPage> {
  const { page, nextCursor } = await selectPage(db, copilotId, filter, cursor, limit);
  return { events: page.map(toView), nextCursor };
}

/** Every event matching the filter, newest first, a batch at a time (for the CSV export). */
export async function* iterateAuditEvents(db: Executor, { copilotId, filter, batchSize = 1000 }: { copilotId: string; filter: AuditFilter; batchSize?: number }): AsyncGenerator<AuditEventView[]> {
  let cursor: string | undefined;
  for (;;) {
    const { page, nextCursor } = await selectPage(db, copilotId, filter, cursor, batchSize);
    if (page.length) yield page.map(toView);
    if (!nextCursor) return;
    cursor = nextCursor;
  }
}

/** The latest events, for short lists (the instance settings page). */
export async function listAuditEvents(db: Executor, { copilotId, limit = 200 }: { copilotId: string | null; limit?: number }): Promise<AuditEventView[]> {
  return (await listAuditPage(db, { copilotId, limit })).events;
}
