'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { listAuditPageAction } from '@/lib/audit/actions';
import type { AuditPage } from '@/lib/audit/queries';
import { AUDIT_ACTION_GROUPS, AUDIT_ACTIONS } from '@/lib/audit/action-names';
import type { AuditFilter } from '@/lib/audit/schema';
import { AuditEventList } from './audit-event-list';

/** While the tab is visible, the loaded pages are fetched again this often (React Query pauses when hidden). */
const LIVE_REFRESH_MS = 15_000;

const FIELDS = ['action', 'actor', 'target', 'from', 'to'] as const;

export function filterQuery(filter: AuditFilter): string {
  const params = new URLSearchParams();
  for (const key of FIELDS) if (filter[key]) params.set(key, filter[key]);
  return params.toString();
}

function FilterField({ label, htmlFor, children }: { label: string; htmlFor: string; children: ReactNode }) {
  return (
    <div className="min-w-0 space-y-1">
      <Label htmlFor={htmlFor} className="text-xs">
        {label}
      </Label>
      {children}
    </div>
  );
}

export function AuditExplorer({ copilotId, initialFilter, initialPage }: { copilotId: string; initialFilter: AuditFilter; initialPage: AuditPage }) {
  const [filter, setFilter] = useState(initialFilter);
  const [error, setError] = useState<string | null>(null);
  const query = useInfiniteQuery({
    queryKey: ['audit', copilotId, filter],
    queryFn: async ({ pageParam }) => {
      const result = await listAuditPageAction({ copilotId, ...filter, cursor: pageParam ?? undefined });
      if (!result.ok) throw new Error(result.message);
      return result.data;
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: filter === initialFilter ? { pages: [initialPage], pageParams: [null] } : undefined,
    refetchInterval: LIVE_REFRESH_MS,
    refetchIntervalInBackground: false,
    staleTime: 5_000,
  });

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = Object.fromEntries(FIELDS.map((key) => [key, String(data.get(key) ?? '').trim() || null])) as AuditFilter;
    if (next.from && next.to && next.from > next.to) {
      setError('The end date is before the start date.');
      return;
    }
    setError(null);
    setFilter(next);
    const qs = filterQuery(next);
    window.history.replaceState(null, '', qs ? `?${qs}` : window.location.pathname);
  }

  const events = query.data?.pages.flatMap((p) => p.events) ?? [];
  const qs = filterQuery(filter);
  const filtered = qs !== '';

  return (
    <div className="space-y-4">
      <form onSubmit={apply} className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-6" aria-label="Filter audit events">
        <FilterField label="What" htmlFor="audit-action">
          <Select id="audit-action" name="action" defaultValue={filter.action ?? ''}>
            <option value="">Everything</option>
            <optgroup label="Kinds">
              {AUDIT_ACTION_GROUPS.map((g) => (
                <option key={g.value} value={g.value}>
                  {g.label}
                </option>
              ))}
            </optgroup>
            <optgroup label="Exact action">
              {AUDIT_ACTIONS.filter((a) => !a.startsWith('user.') && !a.startsWith('instance.')).map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </optgroup>
          </Select>
        </FilterField>
        <FilterField label="Who (email contains)" htmlFor="audit-actor">
          <Input id="audit-actor" name="actor" defaultValue={filter.actor ?? ''} placeholder="ana@" maxLength={200} />
        </FilterField>
        <FilterField label="Target contains" htmlFor="audit-target">
          <Input id="audit-target" name="target" defaultValue={filter.target ?? ''} placeholder="X-API-Key" maxLength={200} />
        </FilterField>
        <FilterField label="From (UTC)" htmlFor="audit-from">
          <Input id="audit-from" name="from" type="date" defaultValue={filter.from ?? ''} />
        </FilterField>
        <FilterField label="To (UTC, included)" htmlFor="audit-to">
          <Input id="audit-to" name="to" type="date" defaultValue={filter.to ?? ''} />
        </FilterField>
        <div className="flex items-end gap-2">
          <Button type="submit" size="sm">
            Apply
          </Button>
          {filtered ? (
            <Button
              type="reset"
              size="sm"
              variant="ghost"
              onClick={() => {
                setFilter({ action: null, actor: null, target: null, from: null, to: null });
                window.history.replaceState(null, '', window.location.pathname);
              }}
            >
              Clear
            </Button>
          ) : null}
        </div>
        {error ? (
          <p role="alert" className="text-sm text-red-600 sm:col-span-2 lg:col-span-6">
            {error}
          </p>
        ) : null}
      </form>

      <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
        <p aria-live="polite" data-testid="audit-count">
          {query.isFetching && !query.isFetchingNextPage ? 'Refreshing… ' : ''}
          Showing {events.length} {events.length === 1 ? 'event' : 'events'}
          {query.hasNextPage ? ' (newest first, more below)' : filtered ? ' matching the filter' : ''} · updates every {LIVE_REFRESH_MS / 1000} s while this tab is open
        </p>
        <Button asChild variant="secondary" size="sm">
          <a href={`/copilots/${copilotId}/audit/export${qs ? `?${qs}` : ''}`} download>
            <Download className="h-4 w-4" aria-hidden />
            Export CSV
          </a>
        </Button>
      </div>

      {query.isError ? (
        <p role="alert" className="text-sm text-red-600">
          {query.error.message || "Couldn't load the audit log."}
        </p>
      ) : null}
      {events.length ? (
        <AuditEventList events={events} />
      ) : (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-8 text-center text-sm text-slate-600">{filtered ? 'No event matches these filters.' : 'Nothing recorded yet.'}</p>
      )}
      {query.hasNextPage ? (
        <div className="flex justify-center">
          <Button variant="secondary" onClick={() => query.fetchNextPage()} pending={query.isFetchingNextPage}>
            Load older events
          </Button>
        </div>
      ) : null}
    </div>
  );
}
