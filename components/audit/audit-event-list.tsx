import { RelativeTime } from '@/components/ui/relative-time';
import type { AuditEventView } from '@/lib/audit/queries';

/** Events as stacked rows (readable at 390 px): the sentence, its old → new details, when and from where. */
export function AuditEventList({ events }: { events: AuditEventView[] }) {
  return (
    <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm" aria-label="Audit events" data-testid="audit-events">
      {events.map((e) => (
        <li key={e.id} className="px-4 py-3 text-sm" data-testid="audit-event" data-action={e.action}>
          <p className="break-words font-medium text-slate-900">{e.sentence}</p>
          {e.details.length ? (
            <ul className="mt-1 space-y-0.5 break-words text-xs text-slate-600">
              {e.details.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : null}
          <p className="mt-1 text-xs text-slate-600">
            <RelativeTime date={e.at} />
            {e.ip ? <> · from {e.ip}</> : null}
          </p>
        </li>
      ))}
    </ol>
  );
}
