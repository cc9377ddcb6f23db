import { z } from 'zod';
// Sets zod's jitless mode before this module builds a schema (the CSP refuses zod's eval probe); no longer
// guaranteed by the layout, whose password dialog now loads on first use.
import '@/core/text-input';
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
