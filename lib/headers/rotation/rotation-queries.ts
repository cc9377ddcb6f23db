import 'server-only';
import { and, asc, desc, eq, gt, gte, isNotNull, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '@/db/client';
import { copilots, globalHeaders, headerVersions, memberships, users } from '@/db/schema';
import { historyCutoff, MAX_HISTORY_ENTRIES } from '../history';
import type { HeaderKind } from '../schema';

/** One earlier value in a header's History: its masked preview and who/when, never a value or ciphertext. */
export type HeaderHistoryItem = {
  version: number;
  valueNumber: number;
  preview: string;
  setAt: Date | null;
  setByEmail: string | null;
  retiredAt: Date;
  retiredByEmail: string | null;
};

const setter = alias(users, 'setter');
const retirer = alias(users, 'retirer');

/** Earlier values still kept (inside retention, at most the last 10), newest first. */
export async function listHeaderHistory(db: Executor, { copilotId, headerId }: { copilotId: string; headerId: string }): Promise<HeaderHistoryItem[]> {
  return db
    .select({
      version: headerVersions.version,
      valueNumber: headerVersions.valueNumber,
      preview: headerVersions.preview,
      setAt: headerVersions.setAt,
      setByEmail: setter.email,
      retiredAt: headerVersions.retiredAt,
      retiredByEmail: retirer.email,
    })
    .from(headerVersions)
    .innerJoin(globalHeaders, eq(globalHeaders.id, headerVersions.headerId))
    .leftJoin(setter, eq(setter.id, headerVersions.setBy))
    .leftJoin(retirer, eq(retirer.id, headerVersions.retiredBy))
    .where(and(eq(headerVersions.headerId, headerId), eq(globalHeaders.copilotId, copilotId), gte(headerVersions.retiredAt, historyCutoff())))
    .orderBy(desc(headerVersions.version))
    .limit(MAX_HISTORY_ENTRIES);
}

/** A credential that needs a look: its rotation reminder is overdue, or the runtime saw 401/403 answers to it. */
export type CredentialAttentionItem = {
  copilotId: string;
  copilotName: string;
  headerId: string;
  name: string;
  kind: HeaderKind;
  preview: string;
  rotatedAt: Date;
  rotationDays: number | null;
  /** When the reminder fell due (null: no reminder, or not due yet). */
  overdueSince: Date | null;
  authFailuresSinceRotation: number;
};

/**
 * Overdue and "may be revoked" credentials across every copilot the user can see (members; an instance
 * admin sees all). Previews only. Most overdue first, then most failures.
 */
export async function listCredentialAttention(db: Executor, { userId, instanceAdmin }: { userId: string; instanceAdmin: boolean }): Promise<CredentialAttentionItem[]> {
  const due = sql<Date | null>`case when ${globalHeaders.rotationDays} is not null
    and ${globalHeaders.rotatedAt} + make_interval(days => ${globalHeaders.rotationDays}) <= now()
    then ${globalHeaders.rotatedAt} + make_interval(days => ${globalHeaders.rotationDays}) end`;
  const rows = await db
    .select({
      copilotId: copilots.id,
      copilotName: copilots.name,
      headerId: globalHeaders.id,
      name: globalHeaders.name,
      kind: globalHeaders.kind,
      preview: globalHeaders.preview,
      rotatedAt: globalHeaders.rotatedAt,
      rotationDays: globalHeaders.rotationDays,
      overdueSince: sql<Date | null>`${due}`.mapWith(globalHeaders.rotatedAt),
      authFailuresSinceRotation: globalHeaders.authFailuresSinceRotation,
    })
    .from(globalHeaders)
    .innerJoin(copilots, eq(copilots.id, globalHeaders.copilotId))
    .leftJoin(memberships, and(eq(memberships.copilotId, copilots.id), eq(memberships.userId, userId)))
    .where(and(instanceAdmin ? undefined : isNotNull(memberships.userId), or(sql`(${due}) is not null`, gt(globalHeaders.authFailuresSinceRotation, 0))))
    .orderBy(sql`(${due}) asc nulls last`, desc(globalHeaders.authFailuresSinceRotation), asc(copilots.name), asc(globalHeaders.name))
    .limit(200);
  return rows;
}
