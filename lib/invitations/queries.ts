import 'server-only';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '@/db/client';
import { copilots, invitations, users, type Role } from '@/db/schema';
import { linkTokenHash } from '@/lib/auth/link-tokens';

/** A pending invitation as its inviter sees it. The same whether or not the email has an account. */
export type PendingInvitationDto = { id: string; email: string; role: Role | null; createdAt: Date; expiresAt: Date; invitedByEmail: string | null };

const inviter = alias(users, 'inviter');

/** Not accepted, not revoked, not expired. */
export function pendingInvitation(now = new Date()) {
  return and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now));
}

/** Pending invitations to a copilot, or to the instance itself when `copilotId` is null. */
export async function listPendingInvitations(db: Executor, { copilotId }: { copilotId: string | null }): Promise<PendingInvitationDto[]> {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
      invitedByEmail: inviter.email,
    })
    .from(invitations)
    .leftJoin(inviter, eq(inviter.id, invitations.invitedBy))
    .where(and(copilotId ? eq(invitations.copilotId, copilotId) : isNull(invitations.copilotId), pendingInvitation()))
    .orderBy(asc(invitations.email));
}

/** What the invite page shows the link's holder. Says nothing about whether the email has an account. */
export type InvitationView = { email: string; copilotId: string | null; copilotName: string | null; role: Role | null; invitedByName: string | null; expiresAt: Date };

export async function findPendingInvitation(db: Executor, token: unknown): Promise<(InvitationView & { id: string }) | null> {
  const tokenHash = linkTokenHash('invitation', token);
  if (!tokenHash) return null;
  const [row] = await db
    .select({
      id: invitations.id,
      email: invitations.email,
      copilotId: invitations.copilotId,
      copilotName: copilots.name,
      role: invitations.role,
      invitedByName: inviter.name,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .leftJoin(copilots, eq(copilots.id, invitations.copilotId))
    .leftJoin(inviter, eq(inviter.id, invitations.invitedBy))
    .where(and(eq(invitations.tokenHash, tokenHash), pendingInvitation()));
  return row ?? null;
}

export async function findUserIdByEmail(db: Executor, email: string): Promise<string | null> {
  const [row] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return row?.id ?? null;
}
