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
import type { WidgetPackage } from '@/lib/copilots/widget-package';
import { installCommand, reactSnippet, scriptSnippet } from '@/lib/copilots/embed-snippets';

const GRACE_LABELS: Record<WidgetTokenGrace, string> = {
  none: 'Stops working at once',
  '1h': 'Keeps working for 1 hour',
  '24h': 'Keeps working for 24 hours',
};

export function WidgetTokenCard({
  copilotId,
  environmentId,
  switcher,
  token,
  previousTokenUntil,
  canRotate,
  appOrigin,
  widgetPackage,
  headerNames,
}: {
  copilotId: string;
  /** Whose token this is (none: Production); `switcher` picks another environment's. */
  environmentId?: string;
  switcher?: React.ReactNode;
  token: string;
  previousTokenUntil: Date | null;
  canRotate: boolean;
  appOrigin: string;
  widgetPackage: WidgetPackage | null;
  /** The header schema's names: the snippets show exactly these (none declared: an example). */
  headerNames: readonly string[];
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
    <Card title="Widget token" description="Public: it identifies this copilot and environment to the chat widget on your site. It can't send credentials anywhere but your API base URLs.">
      {switcher ? <div className="mb-3">{switcher}</div> : null}
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
              onConfirm={() => endGrace.mutate({ copilotId, environmentId })}
            />
          ) : null}
        </div>
      ) : null}
      <div className="mt-5 space-y-5">
        <CodeBlock label="Script tag" code={scriptSnippet(appOrigin, token, headerNames)} testId="embed-snippet-script" />
        {widgetPackage ? (
          <div>
            <CodeBlock label="React: install the package" code={installCommand(appOrigin, widgetPackage)} testId="widget-package-install" />
            <p className="mt-2 text-xs text-slate-600">
              {widgetPackage.name} {widgetPackage.version} — npm records this integrity in package-lock.json:
            </p>
            <code data-testid="widget-package-integrity" className="mt-1 block break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-xs text-slate-800">
              {widgetPackage.integrity}
            </code>
          </div>
        ) : (
          <p data-testid="widget-package-missing" className="text-sm text-slate-600">
            The npm package for React apps is built by <code className="font-mono text-xs">npm run build</code>; this server has none.
          </p>
        )}
        <CodeBlock label="React: render it" code={reactSnippet(appOrigin, token, headerNames)} testId="embed-snippet-react" />
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
            onConfirm={() => rotate.mutate({ copilotId, environmentId, grace })}
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
