'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Card } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import { CopyButton } from '@/components/ui/copy-button';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { formatUtc } from '@/components/ui/time';
import { endWidgetTokenGraceAction, rotateWidgetTokenAction } from '@/lib/copilots/actions';
import type { WidgetTokenGrace } from '@/lib/copilots/schema';

/** The React entry of the widget package (widget/package.json). */
export const WIDGET_REACT_IMPORT = '@copilot-headers/widget/react';

/** Script-tag form: widget.js finds the app from its own absolute src. */
export function scriptSnippet(appOrigin: string, token: string): string {
  return `<script src="${appOrigin}/widget.js"></script>
<script>
  initOpenScript({
    token: '${token}',
    // Per-user headers: sent with this user's requests only, never stored.
    headers: { Authorization: 'Bearer ' + userJwt },
  });
</script>`;
}

/** React form: a bundled component can't see where it came from, so it names the app (apiUrl). */
export function reactSnippet(appOrigin: string, token: string): string {
  return `import { WidgetRoot, Widget } from '${WIDGET_REACT_IMPORT}';

const options = {
  token: '${token}',
  apiUrl: '${appOrigin}',
  // Per-user headers: sent with this user's requests only, never stored.
  headers: { Authorization: 'Bearer ' + userJwt },
};

<WidgetRoot options={options}><Widget /></WidgetRoot>`;
}

const GRACE_LABELS: Record<WidgetTokenGrace, string> = {
  none: 'Stops working at once',
  '1h': 'Keeps working for 1 hour',
  '24h': 'Keeps working for 24 hours',
};

export function WidgetTokenCard({
  copilotId,
  token,
  previousTokenUntil,
  canRotate,
  appOrigin,
}: {
  copilotId: string;
  token: string;
  previousTokenUntil: Date | null;
  canRotate: boolean;
  appOrigin: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [grace, setGrace] = useState<WidgetTokenGrace>('none');
  const rotate = useActionMutation(rotateWidgetTokenAction, {
    success: (data) => (data.previousValidUntil ? `New widget token issued — the old one works until ${formatUtc(new Date(data.previousValidUntil))}` : 'New widget token issued — the old one no longer works'),
    onSuccess: () => {
      setOpen(false);
      setGrace('none');
      router.refresh();
    },
  });
  const endGrace = useActionMutation(endWidgetTokenGraceAction, { success: 'The previous widget token no longer works', onSuccess: () => router.refresh() });
  return (
    <Card title="Widget token" description="Public: it identifies this copilot to the chat widget on your site. It can't send credentials anywhere but your API base URLs.">
      <div className="flex items-center gap-2">
        <code data-testid="widget-token" className="min-w-0 flex-1 truncate rounded-md bg-slate-100 px-3 py-2 font-mono text-xs text-slate-800">
          {token}
        </code>
        <CopyButton value={token} label="Widget token" />
      </div>
      {previousTokenUntil ? (
        <div data-testid="previous-token-grace" className="mt-3 flex flex-wrap items-center gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <span className="min-w-0 flex-1">The previous token keeps working until {formatUtc(previousTokenUntil)}. Update every page that embeds the widget before then.</span>
          {canRotate ? (
            <ConfirmDialog
              trigger={<Button variant="secondary" size="sm">Stop it now</Button>}
              title="Stop accepting the previous token?"
              description="Pages still embedding the previous token stop working at once."
              confirmLabel="Stop it now"
              pending={endGrace.isPending}
              onConfirm={() => endGrace.mutate({ copilotId })}
            />
          ) : null}
        </div>
      ) : null}
      <div className="mt-5 space-y-5">
        <CodeBlock label="Script tag" code={scriptSnippet(appOrigin, token)} testId="embed-snippet-script" wrap />
        <CodeBlock label="React" code={reactSnippet(appOrigin, token)} testId="embed-snippet-react" wrap />
      </div>
      {canRotate ? (
        <div className="mt-5 border-t border-slate-100 pt-4">
          <ConfirmDialog
            open={open}
            onOpenChange={setOpen}
            trigger={<Button variant="secondary" size="sm">Regenerate widget token</Button>}
            title="Regenerate the widget token?"
            description="Every page that embeds the widget must be updated with the new token. Choose how long the current token keeps working meanwhile."
            confirmLabel="Regenerate"
            pending={rotate.isPending}
            onConfirm={() => rotate.mutate({ copilotId, grace })}
          >
            <Label htmlFor="widget-token-grace">The current token</Label>
            <Select id="widget-token-grace" className="mt-1" value={grace} onChange={(event) => setGrace(event.target.value as WidgetTokenGrace)}>
              {(Object.keys(GRACE_LABELS) as WidgetTokenGrace[]).map((g) => (
                <option key={g} value={g}>
                  {GRACE_LABELS[g]}
                </option>
              ))}
            </Select>
          </ConfirmDialog>
        </div>
      ) : null}
    </Card>
  );
}
