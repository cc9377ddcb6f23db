import { z } from 'zod';
import { MEMBER_ROLES } from '@/db/enums';

export { MEMBER_ROLES };

export const memberTargetSchema = z.object({ copilotId: z.uuid(), userId: z.uuid() });
export const setMemberRoleSchema = memberTargetSchema.extend({ role: z.enum(MEMBER_ROLES, { message: 'Choose a role' }) });
