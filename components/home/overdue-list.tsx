import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { relativeTime } from '@/components/ui/time';
import type { CredentialAttentionItem } from '@/lib/headers/rotation/rotation-queries';

/** Home view: overdue and "may be revoked" credentials across every copilot the user can see. Previews only. */
export function OverdueList({ items }: { items: CredentialAttentionItem[] }) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="attention-title" className="mb-8 rounded-xl border border-amber-200 bg-amber-50/60 p-4 sm:p-5" data-testid="credential-attention">
      <h2 id="attention-title" className="text-base font-semibold text-slate-900">
        Credentials that need attention
      </h2>
      <p className="mt-1 text-sm text-slate-600">Rotation reminders that are due, and credentials your APIs answered with 401/403 since they were last rotated.</p>
      <ul className="mt-3 divide-y divide-amber-100">
        {items.map((item) => (
          <li key={item.headerId} className="flex flex-col gap-1 py-2 sm:flex-row sm:items-center sm:justify-between">
            <div className="min-w-0">
              <Link href={`/copilots/${item.copilotId}/headers`} className="font-mono text-sm font-medium text-indigo-700 hover:underline">
                {item.name}
              </Link>
              <span className="text-sm text-slate-600"> · {item.copilotName}</span>
              <code className="ml-2 rounded bg-white px-1.5 py-0.5 font-mono text-xs text-slate-600">{item.preview}</code>
            </div>
            <div className="flex flex-wrap gap-1">
              {item.overdueSince ? (
                <Badge tone="warning" title={`Rotate every ${item.rotationDays} days`}>
                  rotation overdue · due {relativeTime(item.overdueSince)}
                </Badge>
              ) : null}
              {item.authFailuresSinceRotation > 0 ? (
                <Link href={`/copilots/${item.copilotId}/headers?test=${item.headerId}#test-request`}>
                  <Badge tone="danger">{item.authFailuresSinceRotation} × 401/403 — may be revoked</Badge>
                </Link>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
