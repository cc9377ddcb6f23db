import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { RuntimeApiGuide } from '@/components/server-keys/runtime-api-guide';
import { ServerKeysPanel } from '@/components/server-keys/server-keys-panel';
import { hasRole, requireCopilotPage } from '@/lib/auth/guard';
import { getCopilotSettings } from '@/lib/copilots/queries';
import { env } from '@/core/env';
import { listServerKeys } from '@/lib/server-keys/queries';

/** Where engines reach this dashboard, for the example only: NEXTAUTH_URL, else this request's host. */
async function publicOrigin(): Promise<string> {
  const configured = env().NEXTAUTH_URL;
  if (configured) return configured.replace(/\/+$/, '');
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost:3000';
  const proto = h.get('x-forwarded-proto') ?? (/^(localhost|127\.0\.0\.1)(:|$)/.test(host) ? 'http' : 'https');
  return `${proto}://${host}`;
}

export default async function RuntimeApiPage({ params }: { params: Promise<{ copilotId: string }> }) {
  const { copilotId } = await params;
  const { db, role } = await requireCopilotPage(copilotId);
  const copilot = await getCopilotSettings(db, { copilotId });
  if (!copilot) notFound();
  const keys = await listServerKeys(db, { copilotId });
  return (
    <div className="space-y-8">
      <ServerKeysPanel copilotId={copilotId} keys={keys} canManage={hasRole(role, 'admin')} />
      <RuntimeApiGuide origin={await publicOrigin()} firstBaseUrl={copilot.apiBaseUrls[0] ?? null} />
    </div>
  );
}
