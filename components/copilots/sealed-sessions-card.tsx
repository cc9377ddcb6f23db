'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { Card } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { endAllSessionsAction, updateSessionSettingsAction } from '@/lib/copilots/session-actions';
import { sessionSettingsSchema, type SessionSettingsInput } from '@/lib/copilots/schema';
import type { z } from 'zod';

/** What the customer's backend runs to mint a session (a server key from the Runtime tab). */
export function mintSessionSnippet(appOrigin: string): string {
  return `curl -X POST ${appOrigin}/api/v1/widgets/sessions \\
  -H "Authorization: Bearer $COPILOT_SERVER_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"user":{"id":"42"},"headers":{"User-Token":"…"}}'
# → { "session": "hs_…", "expiresAt": "…" }  →  initOpenScript({ token, session })`;
}

/** Sealed header sessions: how long a new one may live (admins), "end all sessions", and how to mint one. */
export function SealedSessionsCard({
  copilotId,
  maxTtlSeconds,
  sessionRequired,
  canEdit,
  appOrigin,
}: {
  copilotId: string;
  maxTtlSeconds: number;
  sessionRequired: boolean;
  canEdit: boolean;
  appOrigin: string;
}) {
  const router = useRouter();
  const form = useForm<SessionSettingsInput, unknown, z.output<typeof sessionSettingsSchema>>({
    resolver: zodResolver(sessionSettingsSchema),
    criteriaMode: 'all',
    defaultValues: { copilotId, maxTtlMinutes: Math.round(maxTtlSeconds / 60), sessionRequired },
  });
  const save = useActionMutation(updateSessionSettingsAction, {
    form,
    success: 'Session settings saved',
    onSuccess: () => {
      form.reset(form.getValues());
      router.refresh();
    },
  });
  const endAll = useActionMutation(endAllSessionsAction, { success: 'Every outstanding session has ended', onSuccess: () => router.refresh() });
  return (
    <Card
      title="Sealed sessions"
      description="Your backend seals a user's headers with a server key; the page passes only the opaque session to the widget, so the user's credentials never sit readable in the browser. Nothing is stored here."
    >
      {canEdit ? (
        <form method="post" onSubmit={form.handleSubmit(() => save.mutate(form.getValues()))} className="space-y-4" noValidate>
          <label className="flex items-start gap-2 text-sm text-slate-800">
            <input type="checkbox" className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-indigo-600" {...form.register('sessionRequired')} />
            <span>
              <span className="font-medium">Require a sealed session or a verified identity</span>
              <span className="block text-xs text-slate-600">Every turn then needs a session your backend minted or an identity token it signed (Signed identity); raw headers from the page are refused.</span>
            </span>
          </label>
          <div className="flex flex-wrap items-end gap-3">
            <div className="w-48">
              <Field label="Longest session (minutes)" error={form.formState.errors.maxTtlMinutes}>
                <Input type="number" inputMode="numeric" min={1} max={1440} {...form.register('maxTtlMinutes')} />
              </Field>
            </div>
            <Button type="submit" variant="secondary" pending={save.isPending}>
              Save
            </Button>
          </div>
        </form>
      ) : (
        <p className="text-sm text-slate-700">
          {sessionRequired ? 'A sealed session or a verified identity is required; raw headers from the page are refused.' : 'Raw headers from the page are accepted too.'} New sessions live at most {Math.round(maxTtlSeconds / 60)} minutes.
        </p>
      )}
      <div className="mt-5">
        <CodeBlock label="Mint a session (your backend)" code={mintSessionSnippet(appOrigin)} testId="mint-session-snippet" />
      </div>
      {canEdit ? (
        <div className="mt-5 border-t border-slate-100 pt-4">
          <ConfirmDialog
            trigger={<Button variant="secondary" size="sm">End all sessions</Button>}
            title="End every outstanding session?"
            description="Every sealed session minted until now is refused from the next message on. Pages ask your backend for a new one."
            confirmLabel="End all sessions"
            pending={endAll.isPending}
            onConfirm={() => endAll.mutate({ copilotId })}
          />
        </div>
      ) : null}
    </Card>
  );
}
