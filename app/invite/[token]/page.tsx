import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '@/components/auth/auth-card';
import { AcceptInvitation, SwitchAccount } from '@/components/invitations/accept-invitation';
import { InviteSignUp } from '@/components/invitations/invite-sign-up';
import { formatUtc } from '@/components/ui/time';
import { getDb } from '@/db/client';
import { getSessionUser } from '@/lib/auth/session';
import { findPendingInvitation } from '@/lib/invitations/queries';

// The token is in this page's URL: never send it on as a Referer.
export const metadata: Metadata = { title: 'Invitation', referrer: 'no-referrer' };

/**
 * The link holder's view of an invitation. Signed out, it offers both ways in (new account, or sign in
 * and accept) without saying whether the email already has an account.
 */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await findPendingInvitation(await getDb(), token);
  if (!invitation) {
    return (
      <AuthCard title="This invitation link is not valid" subtitle="It was already used, was revoked, or has expired. Ask the person who invited you for a new link.">
        <Link href="/sign-in" className="text-sm font-medium text-indigo-700 underline">
          Go to sign in
        </Link>
      </AuthCard>
    );
  }
  const user = await getSessionUser();
  const what = invitation.copilotName ? `join ${invitation.copilotName} as ${invitation.role}` : 'join Copilot Headers';
  const subtitle = (
    <>
      {invitation.invitedByName ?? 'Someone'} invited <strong className="break-all">{invitation.email}</strong> to {what}. The link works once and expires{' '}
      {formatUtc(invitation.expiresAt)}.
    </>
  );
  const title = invitation.copilotName ? `Join ${invitation.copilotName}` : 'Join Copilot Headers';
  if (user && user.email.toLowerCase() === invitation.email.toLowerCase()) {
    return (
      <AuthCard title={title} subtitle={subtitle}>
        <AcceptInvitation token={token} />
      </AuthCard>
    );
  }
  if (user) {
    return (
      <AuthCard title={title} subtitle={subtitle}>
        <p className="mb-4 text-sm text-slate-700">
          You are signed in as <strong className="break-all">{user.email}</strong>. This invitation is for another email.
        </p>
        <SwitchAccount token={token} />
      </AuthCard>
    );
  }
  return (
    <AuthCard title={title} subtitle={subtitle}>
      <InviteSignUp token={token} email={invitation.email} />
    </AuthCard>
  );
}
