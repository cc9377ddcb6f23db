import 'server-only';
import { GateBusyError } from '@/core/concurrency-gate';
import { fail, type ActionFailure } from '@/core/action-result';
import { currentRequestIp } from '@/lib/request-ip';
import { hashPassword } from './password';

/**
 * The hash of a password someone just chose, or the "busy" answer when the server is already hashing
 * as much as it may (the bounded hash queue): the person simply tries again a moment later.
 */
export async function hashNewPassword(password: string): Promise<string | ActionFailure> {
  try {
    return await hashPassword(password, { client: await currentRequestIp() });
  } catch (error) {
    if (error instanceof GateBusyError) return fail('The server is busy right now. Try again in a few seconds.');
    throw error;
  }
}
