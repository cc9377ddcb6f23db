import { and, eq, gt, or, sql } from 'drizzle-orm';
import { environments } from '@/db/schema';

/**
 * Which widget tokens open an environment of a copilot: its current token, and the one before it while the grace period
 * chosen at regeneration lasts (`previous_widget_token_expires_at`). The one rule for every lookup:
 * the runtime cache's lookup (server/data-plane/cache/copilot-config.ts) and its check of a cached configuration below.
 */
export function widgetTokenOpens(token: string) {
  return or(eq(environments.widgetToken, token), and(eq(environments.previousWidgetToken, token), gt(environments.previousWidgetTokenExpiresAt, sql`now()`)));
}

/** The same rule over an environment already in memory (a cached configuration), at `now`. */
export function widgetTokenOpensCached(
  environment: { widgetToken: string; previousWidgetToken: { token: string; expiresAt: number } | null },
  token: string,
  now = Date.now(),
): boolean {
  return environment.widgetToken === token || (environment.previousWidgetToken?.token === token && environment.previousWidgetToken.expiresAt > now);
}
