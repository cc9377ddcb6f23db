import { z } from 'zod';
import { emailSchema } from '@/lib/auth/schema';

import { MEMBER_ROLES } from '@/db/enums';

export { MEMBER_ROLES };

export const addMemberSchema = z.object({
  copilotId: z.uuid(),
  email: emailSchema,
  role: z.enum(MEMBER_ROLES, { message: 'Choose a role' }),
});

export const memberTargetSchema = z.object({ copilotId: z.uuid(), userId: z.uuid() });
export const setMemberRoleSchema = memberTargetSchema.extend({ role: z.enum(MEMBER_ROLES, { message: 'Choose a role' }) });

export type AddMemberInput = z.input<typeof addMemberSchema>;
