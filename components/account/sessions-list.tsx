'use client';

import { useRouter } from 'next/navigation';
import { signOutAndLeave } from '@/components/auth/sign-out';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { ConfirmDialog } from '@/components/ui/alert-dialog';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatUtc } from '@/components/ui/time';
import { endSessionAction, signOutEverywhereAction } from '@/lib/auth/account-actions';
import type { SessionDto } from '@/lib/auth/sessions';
import { describeBrowser } from '@/lib/auth/user-agent';
import { RelativeTime } from '@/components/ui/relative-time';

export function SessionsList({ sessions }: { sessions: SessionDto[] }) {
  const router = useRouter();
  const end = useActionMutation(endSessionAction, {
    success: 'Signed out of that session',
    onSuccess: ({ current }) => (current ? void signOutAndLeave() : router.refresh()),
  });
  const everywhere = useActionMutation(signOutEverywhereAction, {
    success: ({ sessionsEnded }) => `Signed out of ${sessionsEnded} session${sessionsEnded === 1 ? '' : 's'}`,
    onSuccess: () => void signOutAndLeave(),
  });
  return (
    <div className="space-y-4">
      <Table aria-label="Signed-in sessions">
        <THead>
          <tr>
            <TH>Browser</TH>
            <TH className="hidden sm:table-cell">Signed in</TH>
            <TH>Last active</TH>
            <TH className="text-right">Actions</TH>
          </tr>
        </THead>
        <TBody>
          {sessions.map((s) => (
            <TR key={s.id}>
              <TD>
                <div className="flex flex-wrap items-center gap-2 font-medium text-slate-900">
                  {describeBrowser(s.userAgent)}
                  {s.current ? <Badge tone="success">this browser</Badge> : null}
                </div>
                <div className="text-xs text-slate-500">{s.ip ? `from ${s.ip}` : 'address not recorded'}</div>
              </TD>
              <TD className="hidden whitespace-nowrap text-xs sm:table-cell"><RelativeTime date={s.createdAt} /></TD>
              <TD className="whitespace-nowrap text-xs"><RelativeTime date={s.lastSeenAt} /></TD>
              <TD className="text-right">
                {s.current ? (
                  <span className="text-xs text-slate-600">current</span>
                ) : (
                  <Button variant="ghost" size="sm" pending={end.isPending && end.variables?.sessionId === s.id} onClick={() => end.mutate({ sessionId: s.id })} aria-label={`Sign out ${describeBrowser(s.userAgent)} signed in ${formatUtc(s.createdAt)}`}>
                    Sign out
                  </Button>
                )}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <ConfirmDialog
        trigger={<Button variant="secondary">Sign out everywhere</Button>}
        title="Sign out everywhere?"
        description="Every browser signed in to your account, this one included, is signed out at once. Use it if you signed in on a shared computer or think someone else has your session."
        confirmLabel="Sign out everywhere"
        pending={everywhere.isPending}
        onConfirm={() => everywhere.mutate({})}
      />
    </div>
  );
}
