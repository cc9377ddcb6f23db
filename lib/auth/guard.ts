import 'server-only';
import { and, eq } from 'drizzle-orm';
import { notFound, redirect, unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { getDb, type Db, type Executor } from '@/db/client';
import { copilots, memberships, type Role, type SecondFactorStep } from '@/db/schema';
import { invalidInput, reauthRequired, unexpectedFailure, type ActionResult } from '@/core/action-result';
import { setSpanAttribute, tracingEnabled, withSpan } from '@/core/observability/tracing';
import { getSessionUser, type SessionUser } from './session';
import { getPendingSession, type PendingSession } from '@/lib/two-factor/pending';
import { hasRecentAuthentication } from './sessions';

export class AuthError extends Error {
  constructor(
    readonly code: 'unauthenticated' | 'forbidden',
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

const ROLE_RANK: Record<Role, number> = { viewer: 1, admin: 2, owner: 3 };

export function hasRole(role: Role, minRole: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minRole];
}

export type UserContext = { db: Db; user: SessionUser };
export type PendingContext = { db: Db; pending: PendingSession };
/** `enrolling`: the session is the pending one of a sign-in that must enrol (it becomes a full session once done). */
export type SetupContext = { db: Db; userId: string; email: string; sessionId: string; enrolling: boolean };

export const SECOND_FACTOR_PATH = '/sign-in/second-factor';
/**
 * `role` is what the caller may do on this copilot: their membership's role, or owner for an instance
 * admin. `membership` is the role they actually hold (null for an instance admin who is not a member).
 */
export type CopilotContext = UserContext & { copilotId: string; role: Role; membership: Role | null };

/**
 * `recentAuth`: the session must have confirmed the password within the last few minutes (sudo mode);
 * otherwise the action answers `reauth_required` and changes nothing, and the UI asks for the password
 * and sends the same input again. For actions that decide where secrets may go.
 */
export type ActionOptions = { recentAuth?: boolean };

const SESSION_ENDED = 'Your session has ended. Sign in again.';
const NOT_ALLOWED = "You don't have permission to do that on this copilot.";

export async function requireUser(): Promise<UserContext> {
  const user = await getSessionUser();
  if (!user) throw new AuthError('unauthenticated', SESSION_ENDED);
  return { db: await getDb(), user };
}

export async function requireInstanceAdmin(): Promise<UserContext> {
  const ctx = await requireUser();
  if (!ctx.user.instanceAdmin) throw new AuthError('forbidden', 'Only instance admins can do that.');
  return ctx;
}

export async function getRole(db: Db, userId: string, copilotId: string): Promise<Role | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.copilotId, copilotId)));
  return row?.role ?? null;
}

/**
 * Runs an action's work. An unexpected error (a database error, a bug) becomes a failure answer and one
 * log line without its message: Next would otherwise print the error object, and a database error's
 * message quotes the query's parameters. Auth errors and Next's own control flow (redirect, notFound) pass.
 */
export async function answerUnexpectedErrors<T>(work: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await work();
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof AuthError) throw error;
    return unexpectedFailure(error, 'server action');
  }
}

/**
 * Authenticates, then checks the caller's role on this copilot. Instance admins have owner rights on
 * every copilot. Unknown copilots look the same as forbidden ones.
 */
export async function requireCopilotRole(copilotId: unknown, minRole: Role): Promise<CopilotContext> {
  const ctx = await requireUser();
  const id = z.uuid().safeParse(copilotId);
  if (!id.success) throw new AuthError('forbidden', NOT_ALLOWED);
  const membership = await getRole(ctx.db, ctx.user.id, id.data);
  const role: Role | null = ctx.user.instanceAdmin && (await copilotExists(ctx.db, id.data)) ? 'owner' : membership;
  if (!role || !hasRole(role, minRole)) throw new AuthError('forbidden', NOT_ALLOWED);
  return { ...ctx, copilotId: id.data, role, membership };
}

async function copilotExists(db: Db, copilotId: string): Promise<boolean> {
  const [row] = await db.select({ id: copilots.id }).from(copilots).where(eq(copilots.id, copilotId));
  return Boolean(row);
}

/**
 * Null when this session confirmed the password recently; otherwise the `reauth_required` answer.
 * Inside a transaction, pass it as `db` (the embedded database has a single connection).
 */
export async function recentAuthProblem({ db, user }: { db: Executor; user: SessionUser }) {
  return (await hasRecentAuthentication(db, { sessionId: user.sessionId })) ? null : reauthRequired();
}

/**
 * With tracing on, an action runs in a span named after its function (`action <name>`), with the
 * guard's kind; the copilot and user ids are added once known. Off, the action runs as it is.
 */
function traced<I, R>(kind: 'copilot' | 'user' | 'instance', fn: { name: string }, action: (input: I) => Promise<R>): (input: I) => Promise<R> {
  const name = fn.name || `${kind}Action`;
  return (input) => (tracingEnabled() ? withSpan(`action ${name}`, { 'copilot_headers.action': name, 'copilot_headers.action_kind': kind }, () => action(input)) : action(input));
}

/** Runs `fn` after the parse step every action shares, and the recent-authentication check when asked for. */
async function parseThenRun<S extends z.ZodType, C extends UserContext, T>(
  ctx: C,
  schema: S,
  input: unknown,
  options: ActionOptions,
  fn: (ctx: C, input: z.output<S>) => Promise<ActionResult<T>>,
): Promise<ActionResult<T>> {
  setSpanAttribute('copilot_headers.user_id', ctx.user.id);
  const parsed = schema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  return answerUnexpectedErrors(async () => {
    const problem = options.recentAuth ? await recentAuthProblem(ctx) : null;
    return problem ?? fn(ctx, parsed.data);
  });
}

/**
 * The one door for copilot-scoped server actions and route handlers:
 * authenticate → load the membership for `input.copilotId` → check the role → parse the input →
 * (recent authentication, when asked for) → run.
 */
export function copilotAction<S extends z.ZodType<{ copilotId: string }>, T>(
  minRole: Role,
  schema: S,
  fn: (ctx: CopilotContext, input: z.output<S>) => Promise<ActionResult<T>>,
  options: ActionOptions = {},
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return traced('copilot', fn, async (input: z.input<S>) => {
    const copilotId = (input as { copilotId?: unknown } | null)?.copilotId;
    const ctx = await requireCopilotRole(copilotId, minRole);
    setSpanAttribute('copilot_headers.copilot_id', ctx.copilotId);
    return parseThenRun(ctx, schema, input, options, fn);
  });
}

/** For actions that belong to the signed-in user rather than to a copilot (e.g. their password). */
export function userAction<S extends z.ZodType, T>(
  schema: S,
  fn: (ctx: UserContext, input: z.output<S>) => Promise<ActionResult<T>>,
  options: ActionOptions = {},
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return traced('user', fn, async (input: z.input<S>) => parseThenRun(await requireUser(), schema, input, options, fn));
}

/** For instance-wide actions (users, instance settings): instance admins only. */
export function instanceAction<S extends z.ZodType, T>(
  schema: S,
  fn: (ctx: UserContext, input: z.output<S>) => Promise<ActionResult<T>>,
  options: ActionOptions = {},
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return traced('instance', fn, async (input: z.input<S>) => parseThenRun(await requireInstanceAdmin(), schema, input, options, fn));
}

/**
 * For the second-factor step of a sign-in: only a session that still owes `step` (a code, or enrolling
 * one) gets through. A full session, a signed-out caller or a session owing the other step is refused.
 */
export function pendingSecondFactorAction<S extends z.ZodType, T>(
  step: SecondFactorStep,
  schema: S,
  fn: (ctx: PendingContext, input: z.output<S>) => Promise<ActionResult<T>>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return traced('user', fn, async (input: z.input<S>) => {
    const pending = await getPendingSession();
    if (!pending || pending.step !== step) throw new AuthError('unauthenticated', SESSION_ENDED);
    const ctx: PendingContext = { db: await getDb(), pending };
    const parsed = schema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error);
    return answerUnexpectedErrors(() => fn(ctx, parsed.data));
  });
}

/**
 * Setting up a second factor: a full session that confirmed the password within the last few minutes
 * (anyone holding only a session cookie must not bind an authenticator to the account), or a session
 * that signed in moments ago and must enrol before it reaches anything.
 */
export function secondFactorSetupAction<S extends z.ZodType, T>(
  schema: S,
  fn: (ctx: SetupContext, input: z.output<S>) => Promise<ActionResult<T>>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return traced('user', fn, async (input: z.input<S>) => {
    const user = await getSessionUser();
    const pending = user ? null : await getPendingSession();
    if (!user && pending?.step !== 'enrol') throw new AuthError('unauthenticated', SESSION_ENDED);
    const db = await getDb();
    const ctx: SetupContext = user ? { db, userId: user.id, email: user.email, sessionId: user.sessionId, enrolling: false } : { db, userId: pending!.userId, email: pending!.email, sessionId: pending!.sessionId, enrolling: true };
    const parsed = schema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error);
    return answerUnexpectedErrors(async () => (user && (await recentAuthProblem({ db, user }))) || fn(ctx, parsed.data));
  });
}

/** Pages: signed-out visitors go to sign-in; non-members get a 404 (no hint the copilot exists). */
export async function requireCopilotPage(copilotId: string, minRole: Role = 'viewer'): Promise<CopilotContext> {
  return pageGuard(() => requireCopilotRole(copilotId, minRole));
}

export async function requireUserPage(): Promise<UserContext> {
  return pageGuard(requireUser);
}

export async function requireInstanceAdminPage(): Promise<UserContext> {
  return pageGuard(requireInstanceAdmin);
}

async function pageGuard<C>(check: () => Promise<C>): Promise<C> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof AuthError && error.code === 'unauthenticated') redirect((await getPendingSession()) ? SECOND_FACTOR_PATH : '/sign-in');
    if (error instanceof AuthError) notFound();
    throw error;
  }
}
