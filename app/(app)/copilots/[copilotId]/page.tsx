import { notFound } from 'next/navigation';
import { Card } from '@/components/app-shell/page-header';
import { ApiBaseUrlsCard } from '@/components/copilots/api-base-urls-card';
import { DeleteCopilot } from '@/components/copilots/delete-copilot';
import { GeneralSettingsForm } from '@/components/copilots/general-settings-form';
import { IdentityCard } from '@/components/copilots/identity-card';
import { HeaderSchemaCard } from '@/components/copilots/header-schema-card';
import { RefreshHookCard } from '@/components/copilots/refresh-hook-card';
import { WebhooksCard } from '@/components/webhooks/webhooks-card';
import { listWebhookDeliveries, listWebhooks } from '@/lib/webhooks/queries';
import { SealedSessionsCard } from '@/components/copilots/sealed-sessions-card';
import { WidgetTokenCard } from '@/components/copilots/widget-token-card';
import { hasRole, requireCopilotPage } from '@/lib/auth/guard';
import { getCopilotSettings } from '@/lib/copilots/queries';
import { readWidgetPackage } from '@/lib/copilots/widget-package';
import { getSetupChecklist } from '@/lib/copilots/setup-checklist';
import { getSetupGuide } from '@/lib/copilots/setup-guide';
import { SetupChecklist } from '@/components/copilots/setup-checklist';
import { publicAppOrigin } from '@/lib/public-url';
import { listHeaderScopes } from '@/lib/headers/queries';
import { EnvironmentSwitcher } from '@/components/environments/environment-switcher';
import { EnvironmentsCard } from '@/components/environments/environments-card';
import { environmentWidgetToken, listEnvironments, pickEnvironment } from '@/lib/environments/queries';

export default async function CopilotGeneralPage({ params, searchParams }: { params: Promise<{ copilotId: string }>; searchParams: Promise<{ env?: string | string[] }> }) {
  const { copilotId } = await params;
  const ctx = await requireCopilotPage(copilotId);
  const { db, role } = ctx;
  const environments = await listEnvironments(db, { copilotId });
  const environment = pickEnvironment(environments, (await searchParams).env);
  if (!environment) notFound();
  const [copilot, token, headerScopes, widgetPackage, setup, webhooks, deliveries] = await Promise.all([
    getCopilotSettings(db, { copilotId }),
    environmentWidgetToken(db, { environmentId: environment.id }),
    listHeaderScopes(db, { copilotId }),
    readWidgetPackage(),
    getSetupChecklist(db, { copilotId }),
    listWebhooks(db, { copilotId }),
    listWebhookDeliveries(db, { copilotId }),
  ]);
  if (!copilot || !setup || !token) notFound();
  const canEdit = hasRole(role, 'admin');
  const [appOrigin, guide] = await Promise.all([publicAppOrigin(), getSetupGuide(ctx, setup)]);
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
      {/* Rendered even when every step is done: it stays, saying so, when the last tick arrives while it is open. */}
      <SetupChecklist className="min-w-0 lg:col-span-5" copilot={{ id: copilot.id, name: copilot.name, apiBaseUrls: copilot.apiBaseUrls, allowedOrigins: copilot.allowedOrigins }} steps={setup} guide={guide} />
      <div className="min-w-0 space-y-6 lg:col-span-3">
        <Card id="general" title="General" description={canEdit ? undefined : 'You can view these settings. Ask an owner or admin to change them.'}>
          {canEdit ? (
            <GeneralSettingsForm copilot={copilot} />
          ) : (
            <dl className="space-y-4 text-sm">
              <ReadOnly label="Name" values={[copilot.name]} />
              <ReadOnly label="Allowed widget origins" values={copilot.allowedOrigins} mono />
            </dl>
          )}
        </Card>
        <ApiBaseUrlsCard copilotId={copilot.id} apiBaseUrls={copilot.apiBaseUrls} headers={headerScopes} canEdit={role === 'owner'} />
        <HeaderSchemaCard copilotId={copilot.id} entries={copilot.headerSchema} canEdit={canEdit} />
        <RefreshHookCard copilotId={copilot.id} refreshUrl={copilot.refreshUrl} canEdit={role === 'owner'} />
        <WebhooksCard copilotId={copilot.id} endpoints={webhooks} deliveries={deliveries} canEdit={role === 'owner'} />
        {role === 'owner' ? <DeleteCopilot copilotId={copilot.id} name={copilot.name} /> : null}
      </div>
      <div className="min-w-0 space-y-6 lg:col-span-2">
        {role === 'owner' ? <EnvironmentsCard copilotId={copilot.id} environments={environments} /> : null}
        <WidgetTokenCard
          copilotId={copilot.id}
          environmentId={environment.id}
          switcher={<EnvironmentSwitcher environments={environments} current={environment} basePath={`/copilots/${copilotId}`} />}
          token={token.widgetToken}
          previousTokenUntil={token.previousWidgetTokenUntil}
          canRotate={canEdit} appOrigin={appOrigin} widgetPackage={widgetPackage} headerNames={copilot.headerSchema.map((entry) => entry.name)} />
        <SealedSessionsCard copilotId={copilot.id} maxTtlSeconds={copilot.sessionMaxTtlSeconds} sessionRequired={copilot.sessionRequired} canEdit={canEdit} appOrigin={appOrigin} />
        {/* An identity token's audience is the copilot's id (docs/widget.md, "Signed identity"). */}
        <IdentityCard
          copilotId={copilot.id}
          audience={copilot.id}
          hasSecret={copilot.hasIdentitySecret}
          previousSecretUntil={copilot.previousIdentitySecretUntil}
          jwksUrl={copilot.identityJwksUrl}
          issuer={copilot.identityIssuer}
          canEdit={role === 'owner'}
        />
      </div>
    </div>
  );
}

function ReadOnly({ label, values, mono }: { label: string; values: string[]; mono?: boolean }) {
  return (
    <div>
      <dt className="font-medium text-slate-800">{label}</dt>
      <dd className={mono ? 'mt-1 break-all font-mono text-xs text-slate-600' : 'mt-1 break-words text-slate-700'}>
        {values.length ? values.map((v) => <div key={v}>{v}</div>) : <span className="text-slate-500">None</span>}
      </dd>
    </div>
  );
}
