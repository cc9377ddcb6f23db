import 'server-only';
import { and, desc, eq, gt, isNull, lt, ne, or } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { userSessions, users, type SecondFactorStep } from '@/db/schema';

/** A session lasts at most this long from sign-in, however active it is. */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;
/**
 * How long one process trusts a session check it made. Ending a session takes effect at once in the
 * process that ended it, and within this time in every other app instance.
 */
export const SESSION_CHECK_CACHE_MS = 5_000;
/** How long a password confirmation lets this session change where secrets may go ("sudo mode"). */
export const RECENT_AUTH_MS = 10 * 60_000;
/** Writing "last seen" on every request would add a write per request; once a minute is precise enough. */
const LAST_SEEN_RESOLUTION_MS = 60_000;
const MAX_USER_AGENT_LENGTH = 200;

export type SessionUser = { id: string; email: string; name: string; instanceAdmin: boolean; sessionId: string };

type CacheEntry = { user: SessionUser; checkedAt: number; expiresAt: number };
// One cache per process, on globalThis: Next bundles route handlers (sign-out) and pages separately, and
// ending a session in one must drop it from the cache the others read.
const store = globalThis as { [key: symbol]: Map<string, CacheEntry> | undefined };
const CACHE_KEY = Symbol.for('copilot-headers.session-checks');
const checked = (store[CACHE_KEY] ??= new Map<string, CacheEntry>());

/** How long a session may wait for its second factor (a code, or enrolling one) before it must sign in again. */
export const PENDING_SECOND_FACTOR_SECONDS = 10 * 60;

/**
 * A new server-side session. `passwordConfirmed`: the person just typed their password to sign in, which
 * counts as a fresh confirmation for the sudo window — nobody is asked for it again minutes later.
 */
export async function startSession(
  db: Executor,
  {
    userId,
    ip,
    userAgent,
    pendingSecondFactor = null,
    passwordConfirmed = false,
  }: { userId: string; ip: string | null; userAgent: string | null; pendingSecondFactor?: SecondFactorStep | null; passwordConfirmed?: boolean },
): Promise<{ id: string }> {
  const lifetime = pendingSecondFactor ? PENDING_SECOND_FACTOR_SECONDS : SESSION_MAX_AGE_SECONDS;
  const [row] = await db
    .insert(userSessions)
    .values({
      userId,
      expiresAt: new Date(Date.now() + lifetime * 1000),
      ip,
      userAgent: userAgent ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : null,
      pendingSecondFactor,
      reauthenticatedAt: passwordConfirmed ? new Date() : null,
    })
    .returning({ id: userSessions.id });
  if (Math.random() < 0.01) await pruneSessions(db);
  return row!;
}

/**
 * The one rule for a session row that may still be used (joined with its user): not ended, not expired, its
 * account not disabled. Active sessions add "no second factor owed"; pending ones add the opposite.
 */
export function liveSessionRow(sessionId: string, now = Date.now()) {
  return and(eq(userSessions.id, sessionId), isNull(userSessions.revokedAt), isNull(users.disabledAt), gt(userSessions.expiresAt, new Date(now)));
}

/**
 * The signed-in user behind a session id, or null when the session is unknown, belongs to someone
 * else, was ended, expired, still owes its second factor, or its account is disabled. Answers from a
 * short in-process cache.
 */
export async function findActiveSession(db: Executor, { sessionId, userId }: { sessionId: string; userId: string }): Promise<SessionUser | null> {
  const now = Date.now();
  const hit = checked.get(sessionId);
  if (hit && now - hit.checkedAt < SESSION_CHECK_CACHE_MS && hit.expiresAt > now) return hit.user.id === userId ? hit.user : null;
  checked.delete(sessionId);

  const [row] = await db
    .select({
      userId: userSessions.userId,
      expiresAt: userSessions.expiresAt,
      lastSeenAt: userSessions.lastSeenAt,
      email: users.email,
      name: users.name,
      instanceAdmin: users.instanceAdmin,
    })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(
and(liveSessionRow(sessionId, now), isNull(userSessions.pendingSecondFactor)),
    );
  if (!row || row.userId !== userId) return null;

  if (now - row.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    await db
      .update(userSessions)
      .set({ lastSeenAt: new Date(now) })
      .where(and(eq(userSessions.id, sessionId), lt(userSessions.lastSeenAt, new Date(now - LAST_SEEN_RESOLUTION_MS))));
  }
  const user: SessionUser = { id: row.userId, email: row.email, name: row.name, instanceAdmin: row.instanceAdmin, sessionId };
  checked.set(sessionId, { user, checkedAt: now, expiresAt: row.expiresAt.getTime() });
  if (checked.size > 10_000) for (const [id, entry] of checked) if (now - entry.checkedAt >= SESSION_CHECK_CACHE_MS) checked.delete(id);
  return user;
}

/**
 * Drops this process's cached checks for a user's sessions. Called after any change to the user or
 * their sessions has committed, so the next request reads the database again.
 */
export function forgetCachedSessions(userId: string): void {
  for (const [id, entry] of checked) if (entry.user.id === userId) checked.delete(id);
}

/** Ends one session. `userId` scopes it, so nobody can end another person's session by id. */
export async function endSession(db: Executor, { sessionId, userId }: { sessionId: string; userId: string }): Promise<boolean> {
  const ended = await db
    .update(userSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId), isNull(userSessions.revokedAt)))
    .returning({ id: userSessions.id });
  checked.delete(sessionId);
  return ended.length > 0;
}

/** Ends every session of a user, except `keep` (the one that asked, e.g. after a password change). */
export async function endUserSessions(db: Executor, { userId, keep }: { userId: string; keep?: string }): Promise<number> {
  const ended = await db
    .update(userSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt), keep ? ne(userSessions.id, keep) : undefined))
    .returning({ id: userSessions.id });
  forgetCachedSessions(userId);
  return ended.length;
}

export async function markReauthenticated(db: Executor, { sessionId }: { sessionId: string }): Promise<Date> {
  const until = new Date(Date.now() + RECENT_AUTH_MS);
  await db.update(userSessions).set({ reauthenticatedAt: new Date() }).where(eq(userSessions.id, sessionId));
  return until;
}

/** Read from the database, never the cache: this decides whether secrets may be re-pointed. */
export async function hasRecentAuthentication(db: Executor, { sessionId }: { sessionId: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: userSessions.id })
    .from(userSessions)
    .where(and(eq(userSessions.id, sessionId), isNull(userSessions.revokedAt), gt(userSessions.reauthenticatedAt, new Date(Date.now() - RECENT_AUTH_MS))));
  return Boolean(row);
}

export type SessionDto = {
  id: string;
  current: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
};

export async function listActiveSessions(db: Executor, { userId, currentSessionId }: { userId: string; currentSessionId: string }): Promise<SessionDto[]> {
  const rows = await db
    .select({
      id: userSessions.id,
      createdAt: userSessions.createdAt,
      lastSeenAt: userSessions.lastSeenAt,
      expiresAt: userSessions.expiresAt,
      ip: userSessions.ip,
      userAgent: userSessions.userAgent,
    })
    .from(userSessions)
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.revokedAt), isNull(userSessions.pendingSecondFactor), gt(userSessions.expiresAt, new Date())))
    .orderBy(desc(userSessions.lastSeenAt));
  return rows.map((r) => ({ ...r, current: r.id === currentSessionId }));
}

/** Sessions ended or expired more than a day ago are of no use to anyone; called now and then. */
export async function pruneSessions(db: Executor): Promise<void> {
  const dayAgo = new Date(Date.now() - 24 * 3600 * 1000);
  await db.delete(userSessions).where(or(lt(userSessions.expiresAt, dayAgo), lt(userSessions.revokedAt, dayAgo)));
}
