import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { apiOperations, copilots, globalHeaders, mcpServers, modelSettings } from '@/db/schema';

export type SetupStepKey = 'apiBaseUrl' | 'credential' | 'actions' | 'model' | 'origin' | 'firstAnswer';
/** `place` names where `href` leads: the step's full tab, or the card on the overview itself. */
export type SetupStep = { key: SetupStepKey; label: string; done: boolean; href: string; place: string };

/**
 * The steps from a new copilot to its first answer, each ticked from what is stored (never from what a
 * page remembers), each with the exact place to do it. Null for an unknown copilot.
 */
export async function getSetupChecklist(db: Executor, { copilotId }: { copilotId: string }): Promise<SetupStep[] | null> {
  const [row] = await db
    .select({
      apiBaseUrls: copilots.apiBaseUrls,
      allowedOrigins: copilots.allowedOrigins,
      firstAnswerAt: copilots.firstAnswerAt,
      // Bound by the id itself: inside a subquery Drizzle names columns without their table.
      headers: sql<number>`(select count(*) from ${globalHeaders} where ${globalHeaders.copilotId} = ${copilotId})`.mapWith(Number),
      enabledOperations: sql<number>`(select count(*) from ${apiOperations} where ${apiOperations.copilotId} = ${copilotId} and ${apiOperations.enabled})`.mapWith(Number),
      enabledMcpTools: sql<boolean>`exists (select 1 from ${mcpServers} where ${mcpServers.copilotId} = ${copilotId} and ${mcpServers.tools} @> '[{"enabled": true}]'::jsonb)`,
      modelReady: sql<boolean>`exists (select 1 from ${modelSettings} where ${modelSettings.copilotId} = ${copilotId} and ${modelSettings.baseUrl} is not null and ${modelSettings.model} is not null)`,
    })
    .from(copilots)
    .where(eq(copilots.id, copilotId));
  if (!row) return null;
  const at = (path: string) => `/copilots/${copilotId}${path}`;
  return [
    { key: 'apiBaseUrl', label: 'API base URL', done: row.apiBaseUrls.length > 0, href: at('#api-base-urls'), place: 'API base URLs card' },
    { key: 'credential', label: 'A credential (Global variables/headers)', done: row.headers > 0, href: at('/headers'), place: 'Headers tab' },
    { key: 'actions', label: 'Actions: your OpenAPI document or an MCP server', done: row.enabledOperations > 0 || Boolean(row.enabledMcpTools), href: at('/actions'), place: 'Actions tab' },
    { key: 'model', label: 'Model', done: Boolean(row.modelReady), href: at('/model'), place: 'Model tab' },
    { key: 'origin', label: 'Allowed widget origin (the page that embeds the widget)', done: row.allowedOrigins.length > 0, href: at('#general'), place: 'General card' },
    { key: 'firstAnswer', label: 'First answer in Preview', done: row.firstAnswerAt !== null, href: at('/preview'), place: 'Preview tab' },
  ];
}
