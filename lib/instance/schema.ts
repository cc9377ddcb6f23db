import { z } from 'zod';
// Sets zod's jitless mode before this module builds a schema (the CSP refuses zod's eval probe); no longer
// guaranteed by the layout, whose password dialog now loads on first use.
import '@/core/text-input';
import { COPILOT_CREATORS, SECOND_FACTOR_POLICIES, type CopilotCreators, type SecondFactorPolicy } from '@/db/enums';

export { COPILOT_CREATORS, SECOND_FACTOR_POLICIES, type CopilotCreators, type SecondFactorPolicy };

export const COPILOT_CREATORS_LABELS: Record<CopilotCreators, { label: string; help: string }> = {
  instance_admins: { label: 'Instance admins only', help: 'Everyone else joins copilots through invitations. Recommended.' },
  everyone: { label: 'Every signed-in user', help: 'Anyone with an account can create copilots and becomes their owner.' },
};

export const SECOND_FACTOR_POLICY_LABELS: Record<SecondFactorPolicy, { label: string; help: string }> = {
  nobody: { label: 'Nobody (optional for everyone)', help: 'Anyone may set up an authenticator app on their Account page.' },
  instance_admins: { label: 'Instance admins', help: 'Instance admins without a second factor set one up at their next sign-in.' },
  copilot_admins: { label: 'Instance admins and copilot owners and admins', help: 'Everyone who can change a credential.' },
  everyone: { label: 'Everyone', help: 'Every account, viewers included.' },
};

export const instanceSettingsSchema = z.object({
  copilotCreators: z.enum(COPILOT_CREATORS, { message: 'Choose who may create copilots' }),
  /** Omitted: unchanged. */
  secondFactorRequiredFor: z.enum(SECOND_FACTOR_POLICIES, { message: 'Choose who must use a second factor' }).optional(),
  /** Omitted: unchanged. Only with single sign-on configured (the action checks). */
  ssoOnly: z.boolean({ message: 'Single sign-on only must be on or off' }).optional(),
});
export type InstanceSettingsInput = z.input<typeof instanceSettingsSchema>;
