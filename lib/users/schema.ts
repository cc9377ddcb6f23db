import { z } from 'zod';
// Sets zod's jitless mode before this module builds a schema (the CSP refuses zod's eval probe); no longer
// guaranteed by the layout, whose password dialog now loads on first use.
import '@/core/text-input';
import { revokeCreatedShape } from '@/lib/credentials/schema';

/** Disabling, with the server keys and admin API tokens they created (any copilot) revoked with it, as checked in the dialog. */
export const setUserDisabledSchema = z.object({ userId: z.uuid(), disabled: z.boolean(), ...revokeCreatedShape });
export const setInstanceAdminSchema = z.object({ userId: z.uuid(), instanceAdmin: z.boolean() });
export const userIdSchema = z.object({ userId: z.uuid() });

/** The emailed verification link's token (lib/users/email-verification.ts). */
export const verifyEmailSchema = z.object({ token: z.string({ error: 'Missing link token' }).max(200, { error: 'Not a verification link' }) });

/** Verification links one person may ask for per hour: each is an email to their address. */
export const VERIFICATION_EMAILS_PER_HOUR = 3;
