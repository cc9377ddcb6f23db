import 'server-only';
import { and, asc, count, eq, isNotNull, sql } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import type { HeaderSchemaEntry } from '@/core/headers/header-schema';
import { copilots, environments, globalHeaders, memberships, users, type Role } from '@/db/schema';

/** `role` is the caller's membership; null for an instance admin who sees a copilot without being a member. */
export type CopilotListItem = { id: string; name: string; role: Role | null; apiBaseUrls: string[]; headerCount: number; createdAt: Date };

/** The copilots a user may open: their memberships, or every copilot for an instance admin. */
export async function listCopilotsForUser(db: Executor, { userId, instanceAdmin }: { userId: string; instanceAdmin: boolean }): Promise<CopilotListItem[]> {
  const headerCounts = db
    .select({ copilotId: globalHeaders.copilotId, n: count().as('n') })
    .from(globalHeaders)
    .groupBy(globalHeaders.copilotId)
    .as('header_counts');
  const rows = await db
    .select({
      id: copilots.id,
      name: copilots.name,
      role: memberships.role,
      apiBaseUrls: copilots.apiBaseUrls,
      headerCount: headerCounts.n,
      createdAt: copilots.createdAt,
    })
    .from(copilots)
    .leftJoin(memberships, and(eq(memberships.copilotId, copilots.id), eq(memberships.userId, userId)))
    .leftJoin(headerCounts, eq(headerCounts.copilotId, copilots.id))
    .where(instanceAdmin ? undefined : isNotNull(memberships.userId))
    .orderBy(asc(copilots.name));
  return rows.map((r) => ({ ...r, headerCount: Number(r.headerCount ?? 0) }));
}

export type CopilotSettings = {
  id: string;
  name: string;
  widgetToken: string;
  /** While the token before the last regeneration still works (grace period), until when; else null. */
  previousWidgetTokenUntil: Date | null;
  apiBaseUrls: string[];
  allowedOrigins: string[];
  /** The longest a newly minted sealed session may live. */
  sessionMaxTtlSeconds: number;
  /** The widget's per-user headers must come from a sealed session. */
  sessionRequired: boolean;
  /** Signed identity: whether a secret exists (never the secret), the previous one's overlap, the JWKS URL and issuer. */
  hasIdentitySecret: boolean;
  previousIdentitySecretUntil: Date | null;
  identityJwksUrl: string | null;
  identityIssuer: string | null;
  /** Where the data plane asks for fresh per-user headers after a 401; null when none. Its secret is never read here. */
  refreshUrl: string | null;
  /** The per-user headers the chat accepts from the page or a session; empty: any. */
  headerSchema: HeaderSchemaEntry[];
  createdAt: Date;
};

export async function getCopilotSettings(db: Executor, { copilotId }: { copilotId: string }): Promise<CopilotSettings | null> {
  const [row] = await db
    .select({
      id: copilots.id,
      name: copilots.name,
      widgetToken: environments.widgetToken,
      previousWidgetTokenUntil: sql<Date | null>`case when ${environments.previousWidgetTokenExpiresAt} > now() then ${environments.previousWidgetTokenExpiresAt} end`.mapWith(environments.previousWidgetTokenExpiresAt),
      apiBaseUrls: copilots.apiBaseUrls,
      allowedOrigins: copilots.allowedOrigins,
      sessionMaxTtlSeconds: copilots.sessionMaxTtlSeconds,
      sessionRequired: copilots.sessionRequired,
      hasIdentitySecret: sql<boolean>`${copilots.identitySecretCiphertext} is not null`,
      previousIdentitySecretUntil: sql<Date | null>`case when ${copilots.previousIdentitySecretExpiresAt} > now() then ${copilots.previousIdentitySecretExpiresAt} end`.mapWith(
        copilots.previousIdentitySecretExpiresAt,
      ),
      identityJwksUrl: copilots.identityJwksUrl,
      identityIssuer: copilots.identityIssuer,
      refreshUrl: copilots.refreshUrl,
      headerSchema: copilots.headerSchema,
      createdAt: copilots.createdAt,
    })
    .from(copilots)
    // The widget token shown with the settings is Production's (other environments' tokens are on their own cards).
    .innerJoin(environments, and(eq(environments.copilotId, copilots.id), eq(environments.isProduction, true)))
    .where(eq(copilots.id, copilotId));
  return row ?? null;
}

export type MemberDto = { userId: string; email: string; name: string; role: Role; since: Date };

export async function listMembers(db: Executor, { copilotId }: { copilotId: string }): Promise<MemberDto[]> {
  return db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.copilotId, copilotId))
    .orderBy(asc(users.email));
}

export async function countOwners(db: Executor, { copilotId }: { copilotId: string }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.copilotId, copilotId), eq(memberships.role, 'owner')));
  return Number(row?.n ?? 0);
}
