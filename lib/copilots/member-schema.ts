import { z } from 'zod';
// Sets zod's jitless mode before this module builds a schema (the CSP refuses zod's eval probe); no longer
// guaranteed by the layout, whose password dialog now loads on first use.
import '@/core/text-input';
import { MEMBER_ROLES } from '@/db/enums';
import { revokeCreatedShape } from '@/lib/credentials/schema';

export { MEMBER_ROLES };

export const memberTargetSchema = z.object({ copilotId: z.uuid(), userId: z.uuid() });
/** Removal, with the server keys and admin API tokens they created that are revoked with it (checked in the dialog). */
export const removeMemberSchema = memberTargetSchema.extend(revokeCreatedShape);
export const setMemberRoleSchema = memberTargetSchema.extend({ role: z.enum(MEMBER_ROLES, { message: 'Choose a role' }) });
