import 'server-only';
import { and, eq } from 'drizzle-orm';
import { notFound, redirect, unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import { getDb, type Db } from '@/db/client';
import { memberships, type Role } from '@/db/schema';
import { invalidInput, unexpectedFailure, type ActionResult } from '@/core/action-result';
import { getSessionUser, type SessionUser } from './session';

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
export type CopilotContext = UserContext & { copilotId: string; role: Role };

export async function requireUser(): Promise<UserContext> {
  const user = await getSessionUser();
  if (!user) throw new AuthError('unauthenticated', 'Your session has ended. Sign in again.');
  return { db: await getDb(), user };
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

/** Authenticates, then checks the caller's role on this copilot. Unknown copilots look the same as forbidden ones. */
export async function requireCopilotRole(copilotId: unknown, minRole: Role): Promise<CopilotContext> {
  const ctx = await requireUser();
  const id = z.uuid().safeParse(copilotId);
  const role = id.success ? await getRole(ctx.db, ctx.user.id, id.data) : null;
  if (!id.success || !role || !hasRole(role, minRole)) {
    throw new AuthError('forbidden', "You don't have permission to do that on this copilot.");
  }
  return { ...ctx, copilotId: id.data, role };
}

/**
 * The one door for copilot-scoped server actions and route handlers (STYLE habit 3):
 * authenticate → load the membership for `input.copilotId` → check the role → parse the input → run.
 */
export function copilotAction<S extends z.ZodType<{ copilotId: string }>, T>(
  minRole: Role,
  schema: S,
  fn: (ctx: CopilotContext, input: z.output<S>) => Promise<ActionResult<T>>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    const copilotId = (input as { copilotId?: unknown } | null)?.copilotId;
    const ctx = await requireCopilotRole(copilotId, minRole);
    const parsed = schema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error);
    return answerUnexpectedErrors(() => fn(ctx, parsed.data));
  };
}

/** For actions that belong to the signed-in user rather than to a copilot (e.g. creating one). */
export function userAction<S extends z.ZodType, T>(
  schema: S,
  fn: (ctx: UserContext, input: z.output<S>) => Promise<ActionResult<T>>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    const ctx = await requireUser();
    const parsed = schema.safeParse(input);
    if (!parsed.success) return invalidInput(parsed.error);
    return answerUnexpectedErrors(() => fn(ctx, parsed.data));
  };
}

/** Pages: signed-out visitors go to sign-in; non-members get a 404 (no hint the copilot exists). */
export async function requireCopilotPage(copilotId: string, minRole: Role = 'viewer'): Promise<CopilotContext> {
  try {
    return await requireCopilotRole(copilotId, minRole);
  } catch (error) {
    if (error instanceof AuthError && error.code === 'unauthenticated') redirect('/sign-in');
    if (error instanceof AuthError) notFound();
    throw error;
  }
}

export async function requireUserPage(): Promise<UserContext> {
  try {
    return await requireUser();
  } catch (error) {
    if (error instanceof AuthError) redirect('/sign-in');
    throw error;
  }
}
