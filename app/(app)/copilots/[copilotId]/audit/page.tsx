import { AuditExplorer } from '@/components/audit/audit-explorer';
import { QueryProvider } from '@/components/query/query-provider';
import { listAuditPage } from '@/lib/audit/queries';
import { auditFilterSchema, type AuditFilter } from '@/lib/audit/schema';
import { requireCopilotPage } from '@/lib/auth/guard';

const NO_FILTER: AuditFilter = { action: null, actor: null, target: null, from: null, to: null };

export default async function AuditPage({ params, searchParams }: { params: Promise<{ copilotId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { copilotId } = await params;
  const { db } = await requireCopilotPage(copilotId);
  const query = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = auditFilterSchema.safeParse(query);
  const filter = parsed.success ? parsed.data : NO_FILTER;
  const firstPage = await listAuditPage(db, { copilotId, filter });
  return (
    <div className="space-y-4">
      <p className="max-w-2xl text-sm text-slate-600">
        Every change to this copilot — settings, members, headers, keys — with who made it, when and from where. Values never are recorded. Events are kept
        until the operator&apos;s retention job removes old ones; nobody can edit or delete them from the app.
      </p>
      <QueryProvider>
        <AuditExplorer copilotId={copilotId} initialFilter={filter} initialPage={firstPage} />
      </QueryProvider>
    </div>
  );
}
