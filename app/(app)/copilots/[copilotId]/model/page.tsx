import { notFound } from 'next/navigation';
import { Card } from '@/components/app-shell/page-header';
import { ModelForm } from '@/components/model/model-form';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { hasRole, requireCopilotPage } from '@/lib/auth/guard';
import { getCopilotSettings } from '@/lib/copilots/queries';
import { getModelSettings, type ModelSettingsDto } from '@/lib/model/queries';

function SetupChecklist({ settings }: { settings: ModelSettingsDto }) {
  const steps = [
    { done: Boolean(settings.baseUrl), text: 'The endpoint: any OpenAI-compatible API (base URL) — an owner sets or changes it.' },
    { done: Boolean(settings.model), text: 'The model name and, if the endpoint needs one, its API key.' },
  ];
  return (
    <section role="status" className="rounded-xl border border-amber-200 bg-amber-50 p-5 text-sm text-amber-900">
      <h2 className="font-semibold">This copilot can&apos;t answer in the widget yet</h2>
      <p className="mt-1">Until a model is set up, the chat endpoint answers &quot;This assistant isn&apos;t set up yet&quot;. To finish:</p>
      <ol className="mt-2 list-decimal space-y-1 pl-5">
        {steps.map((s) => (
          <li key={s.text} className={s.done ? 'text-amber-700 line-through' : undefined}>
            {s.text}
          </li>
        ))}
      </ol>
    </section>
  );
}

function ReadOnly({ label, value }: { label: string; value: string | null }) {
  return (
    <div>
      <dt className="font-medium text-slate-800">{label}</dt>
      <dd className="mt-1 break-all font-mono text-xs text-slate-600">{value || <span className="font-sans text-slate-500">Not set</span>}</dd>
    </div>
  );
}

export default async function ModelPage({ params }: { params: Promise<{ copilotId: string }> }) {
  const { copilotId } = await params;
  const { db, role } = await requireCopilotPage(copilotId);
  const [copilot, settings] = await Promise.all([getCopilotSettings(db, { copilotId }), getModelSettings(db, { copilotId })]);
  if (!copilot) notFound();
  const isOwner = hasRole(role, 'owner');
  const canEdit = hasRole(role, 'admin');
  return (
    <div className="space-y-6">
      {settings.configured ? (
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <Badge tone="success">Ready</Badge> The widget&apos;s chat uses <span className="font-mono text-xs">{settings.model}</span> at{' '}
          <span className="break-all font-mono text-xs">{settings.baseUrl}</span>
          {settings.updatedAt ? (
            <span>
              · last changed <RelativeTime date={settings.updatedAt} />
              {settings.updatedByEmail ? ` by ${settings.updatedByEmail}` : ''}
            </span>
          ) : null}
        </p>
      ) : (
        <SetupChecklist settings={settings} />
      )}
      <Card
        title="Model"
        description={canEdit ? 'Any OpenAI-compatible endpoint. The API key is write-only: you see a masked preview.' : 'You can view these settings. Ask an owner or admin to change them.'}
      >
        {canEdit ? (
          <ModelForm copilotId={copilotId} settings={settings} canChangeEndpoint={isOwner} />
        ) : (
          <dl className="space-y-4 text-sm">
            <ReadOnly label="Endpoint (base URL)" value={settings.baseUrl} />
            <ReadOnly label="Model" value={settings.model} />
            <ReadOnly label="API key" value={settings.apiKeyPreview} />
            <ReadOnly label="Max steps" value={String(settings.maxSteps)} />
            <ReadOnly label="System prompt" value={settings.systemPrompt} />
          </dl>
        )}
      </Card>
    </div>
  );
}
