import 'server-only';
import { and, asc, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { environments, globalHeaders, serverKeys } from '@/db/schema';
import { environmentSlug } from './schema';

/** An environment as pages show it: no token, no value. */
export type EnvironmentSummary = { id: string; name: string; slug: string; isProduction: boolean; headerCount: number; serverKeyCount: number };

/** A copilot's environments, Production first, then in the order they were created, with their header and active key counts. */
export async function listEnvironments(db: Executor, { copilotId }: { copilotId: string }): Promise<EnvironmentSummary[]> {
  const [rows, headerCounts, keyCounts] = await Promise.all([
    db
      .select({ id: environments.id, name: environments.name, isProduction: environments.isProduction })
      .from(environments)
      .where(eq(environments.copilotId, copilotId))
      .orderBy(desc(environments.isProduction), asc(environments.position), asc(environments.createdAt)),
    db.select({ id: globalHeaders.environmentId, n: count() }).from(globalHeaders).where(eq(globalHeaders.copilotId, copilotId)).groupBy(globalHeaders.environmentId),
    db
      .select({ id: serverKeys.environmentId, n: count() })
      .from(serverKeys)
      .where(and(eq(serverKeys.copilotId, copilotId), isNull(serverKeys.revokedAt)))
      .groupBy(serverKeys.environmentId),
  ]);
  const headers = new Map(headerCounts.map((c) => [c.id, Number(c.n)]));
  const keys = new Map(keyCounts.map((c) => [c.id, Number(c.n)]));
  return rows.map((row) => ({ ...row, slug: environmentSlug(row.name), headerCount: headers.get(row.id) ?? 0, serverKeyCount: keys.get(row.id) ?? 0 }));
}

/**
 * The environment a page shows: `ref` (the `env` search parameter) is an id or a slug; none means
 * Production. Null for a reference this copilot does not have.
 */
export function pickEnvironment<E extends { id: string; slug: string; isProduction: boolean }>(list: readonly E[], ref: string | string[] | undefined): E | null {
  const wanted = Array.isArray(ref) ? ref[0] : ref;
  if (!wanted) return list.find((e) => e.isProduction) ?? null;
  return list.find((e) => e.id === wanted) ?? list.find((e) => e.slug === wanted.toLowerCase()) ?? null;
}

/** The widget token of one environment, for its token card (the page's viewer may already see it). */
export async function environmentWidgetToken(db: Executor, { environmentId }: { environmentId: string }) {
  const [row] = await db
    .select({
      widgetToken: environments.widgetToken,
      previousWidgetTokenUntil: sql<Date | null>`case when ${environments.previousWidgetTokenExpiresAt} > now() then ${environments.previousWidgetTokenExpiresAt} end`.mapWith(environments.previousWidgetTokenExpiresAt),
    })
    .from(environments)
    .where(eq(environments.id, environmentId));
  return row ?? null;
}
