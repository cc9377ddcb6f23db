import { z } from 'zod';
// Sets zod's jitless mode before this module builds a schema (the CSP refuses zod's eval probe); no longer
// guaranteed by the layout, whose password dialog now loads on first use.
import '@/core/text-input';
import { MEMBER_ROLES } from '@/db/enums';
import { emailSchema } from '@/lib/auth/schema';

export const inviteMemberSchema = z.object({
  copilotId: z.uuid(),
  email: emailSchema,
  role: z.enum(MEMBER_ROLES, { message: 'Choose a role' }),
});

/** The invite form's fields: the copilot (if any) is added when it is sent. */
export const inviteFormSchema = inviteMemberSchema.omit({ copilotId: true });
export type InviteFormInput = z.input<typeof inviteFormSchema>;

export const revokeInvitationSchema = z.object({ copilotId: z.uuid(), invitationId: z.uuid() });

export const inviteToInstanceSchema = z.object({ email: emailSchema });

export const revokeInstanceInvitationSchema = z.object({ invitationId: z.uuid() });
