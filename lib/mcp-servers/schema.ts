// Shared by the Actions tab's MCP forms (zodResolver) and their actions: no server-only imports here.
import { z } from 'zod';
import { singleLine } from '@/core/text-input';
import { normaliseBaseUrl } from '@/lib/copilots/schema';

/** Remote MCP servers one copilot may have. */
export const MAX_MCP_SERVERS = 10;

export const addMcpServerSchema = z.object({
  copilotId: z.uuid({ error: 'Invalid id' }),
  url: singleLine()
    .trim()
    .min(1, "Give the MCP server's URL (its Streamable HTTP endpoint)")
    .max(2_000, 'Use at most 2000 characters')
    .transform((value, ctx) => {
      const { url, problem } = normaliseBaseUrl(value);
      if (!url) {
        ctx.addIssue({ code: 'custom', message: problem ?? 'Not a URL (example: https://mcp.example.com/mcp)' });
        return z.NEVER;
      }
      return url;
    }),
  name: singleLine().trim().max(80, 'Use at most 80 characters').default(''),
});
export type AddMcpServerInput = z.input<typeof addMcpServerSchema>;

export const mcpServerIdSchema = z.object({
  copilotId: z.uuid({ error: 'Invalid id' }),
  serverId: z.uuid({ error: 'Invalid id' }),
});

const toolName = singleLine().min(1, 'Choose a tool').max(128, 'Choose a tool');

export const setMcpToolEnabledSchema = mcpServerIdSchema.extend({ tool: toolName, enabled: z.boolean({ error: 'Choose on or off' }) });
export const setMcpToolAskFirstSchema = mcpServerIdSchema.extend({ tool: toolName, askFirst: z.boolean({ error: 'Choose on or off' }) });
