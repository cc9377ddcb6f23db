import { EmptyState } from '@/components/app-shell/page-header';
import type { ReactNode } from 'react';

const WIDGET_SNIPPET = `initOpenScript({
  token: '<widget token>',
  headers: { Authorization: 'Bearer ' + userJwt },
});`;

export function HeadersEmptyState({ action }: { action: ReactNode }) {
  return (
    <EmptyState title="No global headers yet" action={action}>
      <p>
        <strong>Static headers</strong> live here: system-wide API keys, bearer tokens or Basic credentials that every user of this copilot shares. They are
        encrypted (AES-256-GCM) and never shown again — only a masked preview.
      </p>
      <p>
        <strong>Dynamic headers</strong> are per user: your page passes them to the widget, they are used for that request only and never stored.
      </p>
      <pre tabIndex={0} className="mx-auto mt-3 max-w-full overflow-x-auto sm:max-w-md rounded-md bg-slate-900 p-3 text-left text-xs text-slate-100">
        <code>{WIDGET_SNIPPET}</code>
      </pre>
      <p className="text-xs text-slate-500">Both can be used together: the copilot&apos;s call then carries both.</p>
    </EmptyState>
  );
}
