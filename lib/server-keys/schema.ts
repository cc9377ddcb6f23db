// Shared by the create/revoke forms (zodResolver) and the server actions: no server-only imports here.
import { z } from 'zod';
import { displayText } from '@/core/text-input';

/** Active (unrevoked) keys per environment: enough for rotation and one key per engine, bounded. */
export const MAX_ACTIVE_SERVER_KEYS = 10;

export const serverKeyNameSchema = displayText()
  .trim()
  .min(1, 'Give the key a name, e.g. "production engine"')
  .max(80, 'Use at most 80 characters');

/** `environmentId`: the environment the key opens; none: Production. */
export const createServerKeySchema = z.object({ copilotId: z.uuid(), environmentId: z.uuid().optional(), name: serverKeyNameSchema });
export const revokeServerKeySchema = z.object({ copilotId: z.uuid(), keyId: z.uuid() });

export type CreateServerKeyInput = z.input<typeof createServerKeySchema>;
