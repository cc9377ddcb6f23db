import 'server-only';
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { environments, globalHeaders, serverKeys } from '@/db/schema';
import { environmentSlug } from './schema';

/** An environment as pages show it: no token, no value. */
export type EnvironmentSummary = { id: string; name: string; slug: string; isProduction: boolean; headerCount: number; serverKeyCount: number };

/** A copilot's environments, Production first, then in the order they were created. */
export async function listEnvironments(db: Executor, { copilotId }: { copilotId: string }): Promise<EnvironmentSummary[]> {
  const rows = await db
    .select({
      id: environments.id,
      name: environments.name,
      isProduction: environments.isProduction,
      headerCount: sql<number>`(select count(*) from ${globalHeaders} where ${globalHeaders.environmentId} = ${environments.id})`.mapWith(Number),
      serverKeyCount: sql<number>`(select count(*) from ${serverKeys} where ${serverKeys.environmentId} = ${environments.id} and ${serverKeys.revokedAt} is null)`.mapWith(Number),
    })
    .from(environments)
    .where(eq(environments.copilotId, copilotId))
    .orderBy(desc(environments.isProduction), asc(environments.position), asc(environments.createdAt));
  return rows.map((row) => ({ ...row, slug: environmentSlug(row.name) }));
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
