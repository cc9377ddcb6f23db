import { z } from 'zod';
// Sets zod's jitless mode before this module builds a schema (the CSP refuses zod's eval probe); no longer
// guaranteed by the layout, whose password dialog now loads on first use.
import '@/core/text-input';

export const setUserDisabledSchema = z.object({ userId: z.uuid(), disabled: z.boolean() });
export const setInstanceAdminSchema = z.object({ userId: z.uuid(), instanceAdmin: z.boolean() });
export const userIdSchema = z.object({ userId: z.uuid() });
