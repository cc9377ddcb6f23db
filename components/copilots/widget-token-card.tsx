'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Card } from '@/components/app-shell/page-header';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { rotateWidgetTokenAction } from '@/lib/copilots/actions';

export function embedSnippet(token: string): string {
  return `<script src="/widget.js"></script>
<script>
  initOpenScript({
    token: '${token}',
    // Per-user headers: sent with this user's requests only, never stored.
    headers: { Authorization: 'Bearer ' + userJwt },
  });
</script>`;
}

export function WidgetTokenCard({ copilotId, token, canRotate }: { copilotId: string; token: string; canRotate: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const rotate = useActionMutation(rotateWidgetTokenAction, {
    success: 'New widget token issued — the old one no longer works',
    onSuccess: () => {
      setOpen(false);
      router.refresh();
    },
  });
  const snippet = embedSnippet(token);
  return (
    <Card title="Widget token" description="Public: it identifies this copilot to the chat widget on your site. It can't send credentials anywhere but your API base URLs.">
      <div className="flex items-center gap-2">
        <code data-testid="widget-token" className="min-w-0 flex-1 truncate rounded-md bg-slate-100 px-3 py-2 font-mono text-xs text-slate-800">
          {token}
        </code>
        <CopyButton value={token} label="Widget token" />
      </div>
      <div className="mt-5">
        <div className="mb-2 flex items-center justify-between">
          <h3 className="text-sm font-medium text-slate-800">Embed snippet</h3>
          <CopyButton value={snippet} label="Embed snippet" />
        </div>
        <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">
          <code>{snippet}</code>
        </pre>
        <p className="mt-2 text-xs text-slate-500">
          React: <code className="font-mono">{'<WidgetRoot options={{ token, headers }}><Widget /></WidgetRoot>'}</code>
        </p>
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
