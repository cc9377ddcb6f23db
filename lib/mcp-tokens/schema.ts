// Shared by the create/revoke forms (zodResolver) and the server actions: no server-only imports here.
import { z } from 'zod';
import { displayText } from '@/core/text-input';
import type { Role } from '@/db/enums';

export { MCP_TOKEN_PREFIX } from '@/core/mcp-tokens';

/**
 * The role that may hold an MCP token: it lets an MCP client call the copilot's enabled operations with the
 * team's dashboard headers, which is what an admin can already do from the widget preview. A token works
 * only while its holder still holds this role (core/mcp-tokens.ts, [credentials-follow-people]).
 */
export const MCP_TOKEN_HOLDER_ROLE = 'admin' satisfies Role;

/** Active tokens per person and copilot: one per MCP client they use, bounded. */
export const MAX_ACTIVE_MCP_TOKENS_PER_PERSON = 10;
/** MCP tokens always expire (a client config file is easy to forget about). */
export const MAX_MCP_TOKEN_DAYS = 90;
export const DEFAULT_MCP_TOKEN_DAYS = 30;

export const createMcpTokenSchema = z.object({
  copilotId: z.uuid(),
  name: displayText().trim().min(1, 'Give the token a name, e.g. "my editor"').max(80, 'Use at most 80 characters'),
  expiresInDays: z.int({ error: 'Enter a whole number of days' }).min(1, 'Use at least 1 day').max(MAX_MCP_TOKEN_DAYS, `Use at most ${MAX_MCP_TOKEN_DAYS} days`),
});
export const revokeMcpTokenSchema = z.object({ copilotId: z.uuid(), tokenId: z.uuid() });

export type CreateMcpTokenInput = z.input<typeof createMcpTokenSchema>;
