import { and, eq, gt, or, sql } from 'drizzle-orm';
import { copilots } from '@/db/schema';

/**
 * Which widget tokens open a copilot: its current token, and the one before it while the grace period
 * chosen at regeneration lasts (`previous_widget_token_expires_at`). The one rule for every lookup:
 * the runtime cache's lookup (server/data-plane/cache/copilot-config.ts) and its check of a cached configuration below.
 */
export function widgetTokenOpens(token: string) {
  return or(eq(copilots.widgetToken, token), and(eq(copilots.previousWidgetToken, token), gt(copilots.previousWidgetTokenExpiresAt, sql`now()`)));
}

/** The same rule over a copilot already in memory (a cached configuration), at `now`. */
export function widgetTokenOpensCached(
  copilot: { widgetToken: string; previousWidgetToken: { token: string; expiresAt: number } | null },
  token: string,
  now = Date.now(),
): boolean {
  return copilot.widgetToken === token || (copilot.previousWidgetToken?.token === token && copilot.previousWidgetToken.expiresAt > now);
}
