import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { logUnexpectedError } from '@/core/action-result';
import { answerChallengeSchema } from './schema';
import { verifyPasskeyAnswer } from './webauthn';

/**
 * next-auth's "passkey" credentials: the challenge id and the browser's answer (JSON text). The user is
 * whoever the passkey belongs to; null when anything does not check out (no hint which part failed).
 */
export async function passkeySignIn(credentials: Record<string, string> | undefined): Promise<{ userId: string; user: { id: string; email: string; name: string } } | null> {
  try {
    const parsed = answerChallengeSchema.safeParse({ challengeId: credentials?.challengeId, response: JSON.parse(credentials?.response ?? 'null') });
    if (!parsed.success) return null;
    const db = await getDb();
    const answer = await verifyPasskeyAnswer(db, 'sign_in', { ...parsed.data, owner: { userId: null, sessionId: null } });
    if (!answer) return null;
    const [user] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, answer.userId));
    return user ? { userId: user.id, user } : null;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    logUnexpectedError(error, 'passkey sign-in');
    return null;
  }
}
