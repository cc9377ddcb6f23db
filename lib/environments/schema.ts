import { z } from 'zod';
import { displayText } from '@/core/text-input';

const ENVIRONMENT_NAME_MAX = 40;
/** The search parameter that carries the environment on the copilot's pages (`?env=<id or slug>`). */
export const ENVIRONMENT_PARAM = 'env';

const environmentNameSchema = displayText()
  .trim()
  .min(1, 'Give the environment a name')
  .max(ENVIRONMENT_NAME_MAX, `Use at most ${ENVIRONMENT_NAME_MAX} characters`);

export const createEnvironmentSchema = z.object({ copilotId: z.uuid(), name: environmentNameSchema });
export const renameEnvironmentSchema = z.object({ copilotId: z.uuid(), environmentId: z.uuid(), name: environmentNameSchema });
/** Deleting asks for the environment's name, typed (compared case-sensitively after trimming). */
export const deleteEnvironmentSchema = z.object({ copilotId: z.uuid(), environmentId: z.uuid(), confirmName: z.string().trim().max(ENVIRONMENT_NAME_MAX + 20) });

export type CreateEnvironmentInput = z.infer<typeof createEnvironmentSchema>;
export type RenameEnvironmentInput = z.infer<typeof renameEnvironmentSchema>;

/** The readable form of a name used in links (`Staging EU` → `staging-eu`); ids work in links too. */
export function environmentSlug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'environment'
  );
}
