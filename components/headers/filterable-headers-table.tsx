'use client';

import { Search } from 'lucide-react';
import { Fragment, useId, useState, type ReactNode } from 'react';
import { Input } from '@/components/ui/input';
import { Table, TBody } from '@/components/ui/table';

/**
 * The headers table with a search box: filters the server-rendered rows by name or kind in the browser
 * (the list is at most 100 rows).
 */
/** What the match count echoes of the search: enough to recognise it, never a 10 KB paste that widens the page. */
function echo(query: string): string {
  const text = query.trim();
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

export function FilterableHeadersTable({ head, rows }: { head: ReactNode; rows: { id: string; name: string; kind: string; row: ReactNode }[] }) {
  const id = useId();
  const [query, setQuery] = useState('');
  const needle = query.trim().toLowerCase();
  const shown = needle ? rows.filter((r) => r.name.toLowerCase().includes(needle) || r.kind.toLowerCase().includes(needle)) : rows;
  return (
    <div className="space-y-3">
      <div className="relative max-w-sm">
        <label htmlFor={id} className="sr-only">
          Search headers
        </label>
        <Search className="pointer-events-none absolute left-3 top-1/2 h-4 w-4 -translate-y-1/2 text-slate-400" aria-hidden />
        <Input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search by name or kind" className="pl-9" autoComplete="off" />
      </div>
      {needle ? (
        <p className="text-xs text-slate-600 [overflow-wrap:anywhere]" aria-live="polite">
          {shown.length} of {rows.length} headers match “{echo(query)}”
        </p>
      ) : null}
      {shown.length ? (
        <Table stack aria-label="Global headers">
          {head}
          <TBody>
            {shown.map((r) => (
              <Fragment key={r.id}>{r.row}</Fragment>
            ))}
          </TBody>
        </Table>
      ) : (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">No header matches.</p>
      )}
    </div>
  );
}
