'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { ShieldAlert } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useBeforeUnload } from '@/components/forms/unsaved-changes';
import { Card } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { updateApiBaseUrlsAction } from '@/lib/copilots/actions';
import { updateApiBaseUrlsSchema, type UpdateApiBaseUrlsInput, type UpdateApiBaseUrlsOutput } from '@/lib/copilots/schema';
import { headersReaching, type HeaderScope } from '@/lib/headers/scope';
import { CopilotFields } from './copilot-fields';

type StoredHeader = HeaderScope & { name: string };
type Addition = { url: string; headers: string[] };

const OWNER_ONLY = 'Only owners can change them: they decide where every stored credential may be sent. Saving asks for your password.';

/**
 * Where the copilot's credentials may go. Owners edit (with their password confirmed); adding a URL
 * first shows which stored credentials will now also be sent there.
 */
export function ApiBaseUrlsCard({ copilotId, apiBaseUrls, headers, canEdit }: { copilotId: string; apiBaseUrls: string[]; headers: StoredHeader[]; canEdit: boolean }) {
  return (
    <Card id="api-base-urls" title="API base URLs" description={canEdit ? OWNER_ONLY : 'The only APIs this copilot may call. Only owners can change them.'}>
      {canEdit ? (
        <ApiBaseUrlsForm copilotId={copilotId} apiBaseUrls={apiBaseUrls} headers={headers} />
      ) : (
        <ul className="space-y-1 font-mono text-xs text-slate-700" aria-label="API base URLs">
          {apiBaseUrls.map((url) => (
            <li key={url} className="break-all">
              {url}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function ApiBaseUrlsForm({ copilotId, apiBaseUrls, headers }: { copilotId: string; apiBaseUrls: string[]; headers: StoredHeader[] }) {
  const router = useRouter();
  const [additions, setAdditions] = useState<Addition[] | null>(null);
  const form = useForm<UpdateApiBaseUrlsInput, unknown, UpdateApiBaseUrlsOutput>({
    resolver: zodResolver(updateApiBaseUrlsSchema),
    criteriaMode: 'all',
    // Followed when the setup checklist's import adds a base URL on this page (an edit in progress is kept).
    values: { copilotId, apiBaseUrls: apiBaseUrls.join('\n') },
    resetOptions: { keepDirtyValues: true },
  });
  const mutation = useActionMutation(updateApiBaseUrlsAction, {
    form,
    success: 'API base URLs saved',
    onSuccess: () => {
      setAdditions(null);
      form.reset(form.getValues());
      router.refresh();
    },
  });
  useBeforeUnload(form.formState.isDirty);
  const save = () => mutation.mutate(form.getValues());

  return (
    <>
      <form
        method="post"
        className="space-y-5"
        noValidate
        onSubmit={form.handleSubmit((values) => {
          const added = values.apiBaseUrls.filter((url) => !apiBaseUrls.includes(url));
          if (added.length === 0) return save();
          setAdditions(added.map((url) => ({ url, headers: headersReaching(headers, url) })));
        })}
      >
        <CopilotFields register={form.register as never} errors={form.formState.errors} fields={['apiBaseUrls']} />
        <div className="flex justify-end">
          <Button type="submit" pending={mutation.isPending}>
            Save API base URLs
          </Button>
        </div>
      </form>
      <ConfirmDialog
        open={additions !== null}
        onOpenChange={(open) => {
          if (!open) setAdditions(null);
        }}
        title={
          <span className="flex items-center gap-2">
            <ShieldAlert className="h-5 w-5 text-amber-600" aria-hidden />
            Send credentials to a new API?
          </span>
        }
        description="Calls to a new base URL carry the stored credentials below. Add only APIs you control."
        confirmLabel="Add and send them there"
        pending={mutation.isPending}
        onConfirm={save}
      >
        <ul className="space-y-3 text-sm" data-testid="credentials-to-new-urls">
          {additions?.map(({ url, headers: names }) => (
            <li key={url} className="rounded-md border border-amber-200 bg-amber-50 p-3">
              <p className="break-all font-mono text-xs text-slate-900">{url}</p>
              <p className="mt-1 text-amber-900">
                {names.length ? (
                  <>
                    will also receive: <strong className="font-mono">{names.join(', ')}</strong>
                  </>
                ) : (
                  'No stored credential is scoped to reach it.'
                )}
              </p>
            </li>
          ))}
        </ul>
      </ConfirmDialog>
    </>
  );
}
