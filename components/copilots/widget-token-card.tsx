'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Card } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import { CopyButton } from '@/components/ui/copy-button';
import { rotateWidgetTokenAction } from '@/lib/copilots/actions';

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

export function WidgetTokenCard({ copilotId, token, canRotate, appOrigin }: { copilotId: string; token: string; canRotate: boolean; appOrigin: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const rotate = useActionMutation(rotateWidgetTokenAction, {
    success: 'New widget token issued — the old one no longer works',
    onSuccess: () => {
      setOpen(false);
      router.refresh();
    },
  });
  return (
    <Card title="Widget token" description="Public: it identifies this copilot to the chat widget on your site. It can't send credentials anywhere but your API base URLs.">
      <div className="flex items-center gap-2">
        <code data-testid="widget-token" className="min-w-0 flex-1 truncate rounded-md bg-slate-100 px-3 py-2 font-mono text-xs text-slate-800">
          {token}
        </code>
        <CopyButton value={token} label="Widget token" />
      </div>
      <div className="mt-5 space-y-5">
        <CodeBlock label="Script tag" code={scriptSnippet(appOrigin, token)} testId="embed-snippet-script" wrap />
        <CodeBlock label="React" code={reactSnippet(appOrigin, token)} testId="embed-snippet-react" wrap />
      </div>
      {canRotate ? (
        <div className="mt-5 border-t border-slate-100 pt-4">
          <ConfirmDialog
            open={open}
            onOpenChange={setOpen}
            trigger={<Button variant="secondary" size="sm">Regenerate token</Button>}
            title="Regenerate the widget token?"
            description="The current token stops working at once. Every page that embeds the widget must be updated with the new token."
            confirmLabel="Regenerate"
            pending={rotate.isPending}
            onConfirm={() => rotate.mutate({ copilotId })}
          />
        </div>
      ) : null}
    </Card>
  );
}
