import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CompareTable } from '@/components/environments/compare-table';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import { hasRole, requireCopilotPage } from '@/lib/auth/guard';
import { compareEnvironments } from '@/lib/environments/compare';
import { listEnvironments, pickEnvironment } from '@/lib/environments/queries';

type Query = { from?: string | string[]; to?: string | string[] };

/**
 * Two environments side by side (`?from=<env>&to=<env>`, ids or slugs): viewers may compare, since the page
 * shows no value — same or different is decided on the server. Admins copy from here.
 */
export default async function CompareEnvironmentsPage({ params, searchParams }: { params: Promise<{ copilotId: string }>; searchParams: Promise<Query> }) {
  const { copilotId } = await params;
  const query = await searchParams;
  const { db, role } = await requireCopilotPage(copilotId);
  const environments = await listEnvironments(db, { copilotId });
  const back = `/copilots/${copilotId}/headers`;
  if (environments.length < 2) {
    return (
      <div className="space-y-3 text-sm text-slate-700">
        <p>This copilot has one environment. Add another (an owner can, on the General tab) to compare them.</p>
        <Link className="font-medium text-indigo-700 underline" href={back}>Back to headers</Link>
      </div>
    );
  }
  // A link to an environment this copilot doesn't have is a 404, as on the Headers tab.
  const from = pickEnvironment(environments, query.from);
  const to = query.to === undefined ? environments.find((e) => e.id !== from?.id) : pickEnvironment(environments, query.to);
  if (!from || !to) notFound();
  const rows = from.id === to.id ? [] : await compareEnvironments(db, { copilotId, fromEnvironmentId: from.id, toEnvironmentId: to.id });
  const count = (status: string) => rows.filter((r) => r.status === status).length;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="max-w-2xl space-y-1">
          <h1 className="text-lg font-semibold text-slate-900">Compare environments</h1>
          <p className="text-sm text-slate-600">
            Per header name: whether both environments hold the same value, and where each sends it. Values are compared on the server and never shown.
          </p>
        </div>
        <Link className="text-sm font-medium text-indigo-700 underline" href={back}>Back to headers</Link>
      </div>
      <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Environments to compare">
        <label className="space-y-1 text-sm">
          <span className="block font-medium text-slate-800">From</span>
          <Select name="from" defaultValue={from.slug}>
            {environments.map((e) => <option key={e.id} value={e.slug}>{e.name}</option>)}
          </Select>
        </label>
        <label className="space-y-1 text-sm">
          <span className="block font-medium text-slate-800">To</span>
          <Select name="to" defaultValue={to.slug}>
            {environments.map((e) => <option key={e.id} value={e.slug}>{e.name}</option>)}
          </Select>
        </label>
        <Button type="submit" variant="secondary">Compare</Button>
        <Link className="pb-2 text-sm text-indigo-700 underline" href={`?from=${to.slug}&to=${from.slug}`}>Swap</Link>
      </form>
      {from.id === to.id ? (
        <p role="alert" className="text-sm text-red-700">Pick two different environments.</p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-slate-600">Neither {from.name} nor {to.name} has any header yet.</p>
      ) : (
        <>
          <p className="text-sm text-slate-700" data-testid="compare-summary">
            {count('same')} same · {count('different')} different · {count('only-from')} only in {from.name} · {count('only-to')} only in {to.name}
          </p>
          <CompareTable copilotId={copilotId} from={{ id: from.id, name: from.name }} to={{ id: to.id, name: to.name }} rows={rows} canCopy={hasRole(role, 'admin')} />
        </>
      )}
    </div>
  );
}
