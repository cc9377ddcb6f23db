import 'server-only';
import { eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { instanceSettings, type CopilotCreators } from '@/db/schema';

export type InstanceSettingsDto = { copilotCreators: CopilotCreators };

const DEFAULTS: InstanceSettingsDto = { copilotCreators: 'instance_admins' };

export async function getInstanceSettings(db: Executor): Promise<InstanceSettingsDto> {
  const [row] = await db.select({ copilotCreators: instanceSettings.copilotCreators }).from(instanceSettings).where(eq(instanceSettings.id, 1));
  return row ?? DEFAULTS;
}

export async function mayCreateCopilots(db: Executor, user: { instanceAdmin: boolean }): Promise<boolean> {
  return user.instanceAdmin || (await getInstanceSettings(db)).copilotCreators === 'everyone';
}
