// Shared by the create/revoke forms (zodResolver) and the server actions: no server-only imports here.
import { z } from 'zod';
import { displayText } from '@/core/text-input';
import type { Role } from '@/db/enums';

/** Plaintext prefix of an admin API token: distinct from server keys, so a leaked one is recognisable. */
export const API_TOKEN_PREFIX = 'chat_';

/** The role that may create admin API tokens; a token works only while its creator still holds it (entitlement.ts). */
export const API_TOKEN_CREATOR_ROLE = 'admin' satisfies Role;

export const API_TOKEN_SCOPES = ['headers:write', 'headers:read-previews'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** Active (unrevoked, unexpired or not) tokens per copilot: one per pipeline, bounded. */
export const MAX_ACTIVE_API_TOKENS = 10;
export const MAX_API_TOKEN_DAYS = 365;

export const createApiTokenSchema = z.object({
  copilotId: z.uuid(),
  name: displayText().trim().min(1, 'Give the token a name, e.g. "deploy pipeline"').max(80, 'Use at most 80 characters'),
  scopes: z
    .array(z.enum(API_TOKEN_SCOPES, { error: 'Unknown scope' }))
    .min(1, 'Choose at least one scope')
    .transform((scopes) => [...new Set(scopes)]),
  /** Days until it stops working; null: until revoked. */
  expiresInDays: z.int({ error: 'Enter a whole number of days' }).min(1, 'Use at least 1 day').max(MAX_API_TOKEN_DAYS, `Use at most ${MAX_API_TOKEN_DAYS} days`).nullable(),
});
export const revokeApiTokenSchema = z.object({ copilotId: z.uuid(), tokenId: z.uuid() });

export type CreateApiTokenInput = z.input<typeof createApiTokenSchema>;

/** The audit actor of a request made with an admin API token: `api-token:<name>` (no user id). */
export const API_TOKEN_ACTOR = 'api-token:';
