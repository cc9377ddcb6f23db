import { notFound } from 'next/navigation';
import { ApiTokensPanel } from '@/components/api-tokens/api-tokens-panel';
import { McpTokensPanel } from '@/components/mcp-tokens/mcp-tokens-panel';
import { RuntimeApiGuide } from '@/components/server-keys/runtime-api-guide';
import { ServerKeysPanel } from '@/components/server-keys/server-keys-panel';
import { listApiTokens } from '@/lib/api-tokens/queries';
import { listMcpTokens } from '@/lib/mcp-tokens/queries';
import { hasRole, requireCopilotPage } from '@/lib/auth/guard';
import { getCopilotSettings } from '@/lib/copilots/queries';
import { publicAppOrigin } from '@/lib/public-url';
import { listServerKeys } from '@/lib/server-keys/queries';
import { EnvironmentSwitcher } from '@/components/environments/environment-switcher';
import { listEnvironments, pickEnvironment } from '@/lib/environments/queries';

export default async function RuntimeApiPage({ params, searchParams }: { params: Promise<{ copilotId: string }>; searchParams: Promise<{ env?: string | string[] }> }) {
  const { copilotId } = await params;
  const { db, role, user } = await requireCopilotPage(copilotId);
  const copilot = await getCopilotSettings(db, { copilotId });
  if (!copilot) notFound();
  const environments = await listEnvironments(db, { copilotId });
  const environment = pickEnvironment(environments, (await searchParams).env);
  if (!environment) notFound();
  const keys = await listServerKeys(db, { copilotId, environmentId: environment.id });
  const tokens = await listApiTokens(db, { copilotId });
  const mcpTokens = await listMcpTokens(db, { copilotId, viewerId: user.id });
  const origin = await publicAppOrigin();
  return (
    <div className="space-y-8">
      <ServerKeysPanel
        copilotId={copilotId}
        environmentId={environment.id}
        keys={keys}
        canManage={hasRole(role, 'admin')}
        switcher={<EnvironmentSwitcher environments={environments} current={environment} basePath={`/copilots/${copilotId}/runtime`} />}
      />
      <ApiTokensPanel copilotId={copilotId} tokens={tokens} canManage={hasRole(role, 'admin')} />
      <McpTokensPanel copilotId={copilotId} endpoint={`${origin}/api/v1/mcp/${copilotId}`} tokens={mcpTokens} canManage={hasRole(role, 'admin')} />
      <RuntimeApiGuide origin={origin} firstBaseUrl={copilot.apiBaseUrls[0] ?? null} />
    </div>
  );
}
