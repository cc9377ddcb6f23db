import { z } from 'zod';

export const setUserDisabledSchema = z.object({ userId: z.uuid(), disabled: z.boolean() });
export const setInstanceAdminSchema = z.object({ userId: z.uuid(), instanceAdmin: z.boolean() });
export const userIdSchema = z.object({ userId: z.uuid() });
