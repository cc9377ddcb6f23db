'use server';

import { copilotAction } from '@/lib/auth/guard';
import { userActor } from '../rotation/rotation-steps';
import { sendTestRequest } from './test-request';
import { testRequestSchema } from './test-request-schema';

/** "Send a test request" on the headers tab; the work is in ./test-request.ts, shared with the admin REST API. */
export const testRequestAction = copilotAction('admin', testRequestSchema, async ({ db, user, copilotId }, input) =>
  sendTestRequest({ db, copilotId, actor: userActor(user), rateLimitKey: `test-request:${copilotId}:${user.id}` }, input),
);
