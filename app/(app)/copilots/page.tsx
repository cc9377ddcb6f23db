import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState, PageHeader } from '@/components/app-shell/page-header';
import { Badge } from '@/components/ui/badge';
import { OverdueList } from '@/components/home/overdue-list';
import { Button } from '@/components/ui/button';
import { requireUserPage } from '@/lib/auth/guard';
import { listCopilotsForUser } from '@/lib/copilots/queries';
import { listCredentialAttention } from '@/lib/headers/rotation/rotation-queries';
import { mayCreateCopilots } from '@/lib/instance/queries';

export const metadata: Metadata = { title: 'Copilots' };

export default async function CopilotsPage() {
  const { db, user } = await requireUserPage();
  const visibleTo = { userId: user.id, instanceAdmin: user.instanceAdmin };
  const [copilots, canCreate, attention] = await Promise.all([listCopilotsForUser(db, visibleTo), mayCreateCopilots(db, user), listCredentialAttention(db, visibleTo)]);
  const newButton = canCreate ? (
    <Button asChild>
      <Link href="/copilots/new">New copilot</Link>
    </Button>
  ) : null;
  return (
    <>
      <PageHeader
        title="Copilots"
        description={user.instanceAdmin ? 'Every copilot on this instance: as an instance admin you manage them all.' : 'Each copilot calls your APIs with the headers you keep here.'}
        actions={copilots.length ? newButton : null}
      />
      <OverdueList items={attention} />
      {copilots.length === 0 ? (
        <EmptyState title={canCreate ? 'No copilots yet' : 'No copilots for you yet'} action={newButton}>
          <p>
            A <strong>copilot</strong> is an AI assistant embedded in your product through the chat widget. When it calls your private APIs, it needs
            credentials.
          </p>
          {canCreate ? (
            <p>
              Create one to get its widget token, then keep its system-wide API keys under <em>Global variables/headers</em> — encrypted, never shown again
              in full. Per-user tokens come from your page through the widget and are never stored.
            </p>
          ) : (
            <p>You join a copilot through an invitation link from one of its owners. Ask them to invite you.</p>
          )}
        </EmptyState>
      ) : (
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
      )}
    </>
  );
}
