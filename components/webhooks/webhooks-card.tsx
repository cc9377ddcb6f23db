'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { Card } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFormActions } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { RelativeTime } from '@/components/ui/relative-time';
import { Select } from '@/components/ui/select';
import { ShownOnceSecret } from '@/components/ui/shown-once-secret';
import { Switch } from '@/components/ui/switch';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { toast } from '@/components/ui/toast';
import { EVENT_LABELS, SUBSCRIBABLE_EVENT_TYPES } from '@/core/webhooks/catalogue';
import { createWebhookAction, removeWebhookAction, rotateWebhookSecretAction, sendWebhookTestAction, updateWebhookAction } from '@/lib/webhooks/actions';
import type { WebhookDeliveryDto, WebhookEndpointDto } from '@/lib/webhooks/queries';
import { updateWebhookSchema, type UpdateWebhookInput } from '@/lib/webhooks/schema';

const ABOUT =
  'A signed POST (JSON or a Slack message) when a widget token or server key is revoked, or a header gets 401/403 answers or is overdue for rotation. Failed deliveries are retried for about an hour.';
const SECRET_NOTE = 'This is the only time the signing secret is shown. It is stored encrypted and never displayed again: if it is lost, replace it.';
// A placeholder id for a new endpoint, so one schema checks both forms (the server makes the real id).
const NEW_ID = '00000000-0000-4000-8000-000000000000';

type FormValues = UpdateWebhookInput;

/** Webhooks (docs/webhooks.md): owners add, change, test and remove endpoints (destinations: their password is confirmed); everyone sees the delivery log. */
export function WebhooksCard({ copilotId, endpoints, deliveries, canEdit }: { copilotId: string; endpoints: WebhookEndpointDto[]; deliveries: WebhookDeliveryDto[]; canEdit: boolean }) {
  const router = useRouter();
  const [editing, setEditing] = useState<WebhookEndpointDto | 'new' | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const showSecret = (data: { secret: string }) => {
    setSecret(data.secret);
    router.refresh();
  };
  const rotate = useActionMutation(rotateWebhookSecretAction, { success: 'New signing secret — the old one no longer works', onSuccess: showSecret });
  const remove = useActionMutation(removeWebhookAction, { success: 'Webhook removed', onSuccess: () => router.refresh() });
  const test = useActionMutation(sendWebhookTestAction, {
    onSuccess: ({ delivery }) => {
      router.refresh();
      if (!delivery || (delivery.status === 'pending' && delivery.lastStatusCode === null && delivery.lastError === null)) toast.success('Test event queued — see the delivery log');
      else if (delivery.status === 'delivered') toast.success(`Test event delivered (HTTP ${delivery.lastStatusCode}, ${delivery.lastDurationMs} ms)`);
      else toast.error(`Test event not delivered: ${describeFailure(delivery)}${delivery.status === 'pending' ? ' — it will be retried' : ''}`);
    },
  });
  const urlOf = new Map(endpoints.map((e) => [e.id, e.url]));

  return (
    <Card
      id="webhooks"
      title="Webhooks"
      description={canEdit ? `${ABOUT} Only owners change them, with their password.` : ABOUT}
    >
      {canEdit ? (
        <div className="mb-3 flex justify-end">
          <Button size="sm" onClick={() => setEditing('new')} disabled={endpoints.length >= 20}>
            Add webhook
          </Button>
        </div>
      ) : null}
      {endpoints.length === 0 ? (
        <p className="text-sm text-slate-600">No webhooks yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200" aria-label="Webhook endpoints">
          {endpoints.map((endpoint) => (
            <li key={endpoint.id} className="space-y-2 p-3" data-testid="webhook-endpoint">
              <div className="flex flex-wrap items-center gap-2">
                <span className="min-w-0 flex-1 break-all font-mono text-xs text-slate-800">{endpoint.url}</span>
                <Badge tone={endpoint.enabled ? 'success' : 'neutral'}>{endpoint.enabled ? 'Enabled' : 'Disabled'}</Badge>
                <Badge tone="info">{endpoint.format === 'slack' ? 'Slack' : 'JSON'}</Badge>
              </div>
              <p className="text-xs text-slate-600">{endpoint.eventTypes.map((type) => EVENT_LABELS[type]).join(' · ')}</p>
              {canEdit ? (
                <div className="flex flex-wrap justify-end gap-2">
                  <Button type="button" size="sm" variant="secondary" pending={test.isPending && test.variables?.webhookId === endpoint.id} onClick={() => test.mutate({ copilotId, webhookId: endpoint.id })}>
                    Send test
                  </Button>
                  <Button type="button" size="sm" variant="secondary" onClick={() => setEditing(endpoint)}>
                    Edit
                  </Button>
                  <ConfirmDialog
                    trigger={<Button type="button" variant="secondary" size="sm">Replace secret</Button>}
                    title="Replace the signing secret?"
                    description="Deliveries are signed with the new secret at once: the receiver must use it from now on."
                    confirmLabel="Replace secret"
                    pending={rotate.isPending}
                    onConfirm={() => rotate.mutate({ copilotId, webhookId: endpoint.id })}
                  />
                  <ConfirmDialog
                    trigger={<Button type="button" variant="secondary" size="sm">Remove</Button>}
                    title="Remove this webhook?"
                    description={`Nothing more is sent to ${endpoint.url}, and its deliveries leave the log.`}
                    confirmLabel="Remove webhook"
                    pending={remove.isPending}
                    onConfirm={() => remove.mutate({ copilotId, webhookId: endpoint.id })}
                  />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}

      <h3 className="mb-2 mt-6 text-sm font-semibold text-slate-900">Delivery log</h3>
      {deliveries.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing sent yet. The last 50 deliveries show here.</p>
      ) : (
        <Table stack aria-label="Webhook deliveries">
          <THead>
            <TR>
              <TH>Event</TH>
              <TH>Status</TH>
              <TH>Response</TH>
              <TH>Tries</TH>
              <TH>When</TH>
            </TR>
          </THead>
          <TBody>
            {deliveries.map((d) => (
              <TR key={d.id} data-testid="webhook-delivery">
                <TD label="Event">
                  <span className="font-mono text-xs text-slate-900">{d.eventType}</span>
                  <span className="block max-w-[13rem] truncate text-xs text-slate-500" title={urlOf.get(d.endpointId)}>
                    {urlOf.get(d.endpointId)}
                  </span>
                </TD>
                <TD label="Status">
                  <Badge tone={d.status === 'delivered' ? 'success' : d.status === 'failed' ? 'danger' : 'warning'}>{d.status === 'pending' ? (d.attempts > 0 ? 'Retrying' : 'Queued') : d.status === 'delivered' ? 'Delivered' : 'Failed'}</Badge>
                </TD>
                <TD label="Response" className="whitespace-nowrap">
                  <span className="inline-flex flex-col items-end sm:items-start">
                    <span>{d.lastStatusCode ?? (d.lastError ? describeFailure(d) : '—')}</span>
                    {d.lastDurationMs === null ? null : <span className="text-xs text-slate-500">{d.lastDurationMs} ms</span>}
                  </span>
                </TD>
                <TD label="Tries">{d.attempts}</TD>
                <TD label="When" className="whitespace-nowrap">
                  <RelativeTime date={d.createdAt} />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}

      {canEdit ? (
        <>
          <Dialog open={editing !== null} onOpenChange={(open) => (open ? undefined : setEditing(null))}>
            {editing ? (
              <WebhookForm
                key={editing === 'new' ? 'new' : editing.id}
                copilotId={copilotId}
                endpoint={editing === 'new' ? null : editing}
                onDone={(created) => {
                  setEditing(null);
                  if (created) setSecret(created.secret);
                  router.refresh();
                }}
                onCancel={() => setEditing(null)}
              />
            ) : null}
          </Dialog>
          <Dialog open={secret !== null} onOpenChange={(open) => (open ? undefined : setSecret(null))}>
            {secret ? (
              <ShownOnceSecret
                title="Webhook signing secret"
                description="Put it in the receiver's secret store: it verifies the X-Copilot-Headers-Signature of every delivery."
                noun="signing secret"
                label="Signing secret"
                secret={secret}
                testId="webhook-secret"
                note={SECRET_NOTE}
                onDone={() => setSecret(null)}
              />
            ) : null}
          </Dialog>
        </>
      ) : null}
    </Card>
  );
}

function describeFailure(d: Pick<WebhookDeliveryDto, 'lastStatusCode' | 'lastError'>): string {
  if (d.lastStatusCode !== null) return `HTTP ${d.lastStatusCode}`;
  switch (d.lastError) {
    case 'timeout':
      return 'timed out';
    case 'unreachable':
      return 'unreachable';
    case 'dns_failed':
      return 'host not found';
    case 'private_address':
    case 'destination_refused':
      return 'destination refused';
    default:
      return d.lastError ?? 'unknown';
  }
}

function WebhookForm({ copilotId, endpoint, onDone, onCancel }: { copilotId: string; endpoint: WebhookEndpointDto | null; onDone: (created: { secret: string } | null) => void; onCancel: () => void }) {
  const form = useForm<FormValues, unknown, z.output<typeof updateWebhookSchema>>({
    resolver: zodResolver(updateWebhookSchema),
    criteriaMode: 'all',
    defaultValues: endpoint
      ? { copilotId, webhookId: endpoint.id, url: endpoint.url, eventTypes: endpoint.eventTypes, format: endpoint.format, enabled: endpoint.enabled }
      : { copilotId, webhookId: NEW_ID, url: '', eventTypes: [...SUBSCRIBABLE_EVENT_TYPES], format: 'json', enabled: true },
  });
  const create = useActionMutation(createWebhookAction, { form, success: 'Webhook added — copy its signing secret now', onSuccess: (data) => onDone(data) });
  const update = useActionMutation(updateWebhookAction, { form, success: 'Webhook saved', onSuccess: () => onDone(null) });
  const errors = form.formState.errors;
  return (
    <DialogContent title={endpoint ? 'Edit webhook' : 'Add a webhook'} description="Deliveries are signed POSTs. Adding one makes a signing secret, shown once.">
      <form
        method="post"
        className="space-y-5"
        noValidate
        onSubmit={form.handleSubmit(({ webhookId, ...values }) => (endpoint ? update.mutate({ ...values, webhookId }) : create.mutate(values)))}
      >
        <Field label="Endpoint URL" hint="https (a Slack incoming-webhook URL works with the Slack format)." error={errors.url}>
          <Input type="url" inputMode="url" autoComplete="off" spellCheck={false} autoFocus placeholder="https://hooks.example.com/copilot" {...form.register('url')} />
        </Field>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-900">Events</legend>
          {SUBSCRIBABLE_EVENT_TYPES.map((type) => (
            <label key={type} className="flex items-start gap-2 text-sm text-slate-700">
              <input type="checkbox" value={type} className="mt-1 size-4" {...form.register('eventTypes')} />
              <span>
                {EVENT_LABELS[type]}
                <span className="block font-mono text-xs text-slate-500">{type}</span>
              </span>
            </label>
          ))}
          {errors.eventTypes ? (
            <p role="alert" className="text-sm text-red-700">
              {errors.eventTypes.message ?? errors.eventTypes.root?.message ?? 'Choose events from the list'}
            </p>
          ) : null}
        </fieldset>
        <Field label="Format" hint="JSON: the event as documented. Slack: a message with text and blocks." error={errors.format}>
          <Select {...form.register('format')}>
            <option value="json">JSON</option>
            <option value="slack">Slack-compatible</option>
          </Select>
        </Field>
        <Controller
          control={form.control}
          name="enabled"
          render={({ field }) => (
            <label className="flex items-center gap-3 text-sm text-slate-800">
              <Switch checked={field.value} onCheckedChange={field.onChange} aria-label="Enabled" />
              Enabled
            </label>
          )}
        />
        <DialogFormActions submitLabel={endpoint ? 'Save webhook' : 'Add webhook'} pending={create.isPending || update.isPending} onCancel={onCancel} />
      </form>
    </DialogContent>
  );
}
