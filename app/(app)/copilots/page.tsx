import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState, PageHeader } from '@/components/app-shell/page-header';
import { Badge } from '@/components/ui/badge';
import { OverdueList } from '@/components/home/overdue-list';
import { CopilotsHeader, FirstCopilotForm } from '@/components/copilots/new-copilot';
import { requireUserPage } from '@/lib/auth/guard';
import { listCopilotsForUser } from '@/lib/copilots/queries';
import { listCredentialAttention } from '@/lib/headers/rotation/rotation-queries';
import { mayCreateCopilots } from '@/lib/instance/queries';

export const metadata: Metadata = { title: 'Copilots' };

export default async function CopilotsPage() {
  const { db, user } = await requireUserPage();
  const visibleTo = { userId: user.id, instanceAdmin: user.instanceAdmin };
  const [copilots, canCreate, attention] = await Promise.all([listCopilotsForUser(db, visibleTo), mayCreateCopilots(db, user), listCredentialAttention(db, visibleTo)]);
  const description = user.instanceAdmin ? 'Every copilot on this instance: as an instance admin you manage them all.' : 'Each copilot calls your APIs with the headers you keep here.';
  if (copilots.length === 0) {
    return (
      <>
        <PageHeader title="Copilots" description={description} />
        <OverdueList items={attention} />
        {canCreate ? <FirstCopilot /> : <NoCopilotsForYou />}
      </>
    );
  }
  return (
    <>
      <CopilotsHeader title="Copilots" description={description} canCreate={canCreate} />
      <OverdueList items={attention} />
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {copilots.map((c) => (
          <li key={c.id}>
            <Link
              href={`/copilots/${c.id}`}
              className="block rounded-xl border border-slate-200 bg-white p-5 shadow-sm transition hover:border-indigo-300 hover:shadow"
            >
              <div className="flex items-start justify-between gap-2">
                <h2 className="min-w-0 break-words font-semibold text-slate-900">{c.name}</h2>
                <Badge tone={c.role === 'viewer' ? 'neutral' : c.role ? 'info' : 'warning'}>{c.role ?? 'instance admin'}</Badge>
              </div>
              <p className="mt-2 truncate font-mono text-xs text-slate-500">{c.apiBaseUrls[0]}</p>
              <p className="mt-3 text-sm text-slate-600">
                {c.headerCount} global header{c.headerCount === 1 ? '' : 's'}
              </p>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}

/** A new instance: the create form is the page, so the first copilot is one click after signing in. */
function FirstCopilot() {
  return (
    <section aria-labelledby="first-copilot-title" className="max-w-2xl">
      <h2 id="first-copilot-title" className="text-base font-semibold text-slate-900">
        No copilots yet
      </h2>
      <div className="mt-1 mb-4 space-y-2 text-sm text-slate-600">
        <p>
          A <strong>copilot</strong> is an AI assistant embedded in your product through the chat widget. When it calls your private APIs, it needs credentials.
        </p>
        <p>
          Create one: name it, say which API it may call and which site will embed it. Its overview then walks you through a credential, the actions, the model and a
          first answer. System-wide keys are kept under <em>Global variables/headers</em> — encrypted, never shown again in full; per-user tokens come from your page
          through the widget and are never stored.
        </p>
      </div>
      <FirstCopilotForm />
    </section>
  );
}

function NoCopilotsForYou() {
  return (
    <EmptyState title="No copilots for you yet">
      <p>
        A <strong>copilot</strong> is an AI assistant embedded in your product through the chat widget. When it calls your private APIs, it needs credentials.
      </p>
      <p>You join a copilot through an invitation link from one of its owners. Ask them to invite you.</p>
    </EmptyState>
  );
}
