import { z } from 'zod';
import { COPILOT_CREATORS, type CopilotCreators } from '@/db/enums';

export { COPILOT_CREATORS, type CopilotCreators };

export const COPILOT_CREATORS_LABELS: Record<CopilotCreators, { label: string; help: string }> = {
  instance_admins: { label: 'Instance admins only', help: 'Everyone else joins copilots through invitations. Recommended.' },
  everyone: { label: 'Every signed-in user', help: 'Anyone with an account can create copilots and becomes their owner.' },
};

export const instanceSettingsSchema = z.object({
  copilotCreators: z.enum(COPILOT_CREATORS, { message: 'Choose who may create copilots' }),
});
export type InstanceSettingsInput = z.input<typeof instanceSettingsSchema>;
