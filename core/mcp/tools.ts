// MCP tools as the product stores and offers them: bounded, with a model-facing name that is stable,
// distinct from every OpenAPI operation's (those never start with "mcp_"), and valid for OpenAI-compatible
// providers (^[A-Za-z0-9_-]{1,64}$).
import { createHash } from 'node:crypto';
import type { StoredMcpTool } from '@/db/schema';

/** At most this many tools are kept per server (OpenAI-compatible providers take 128 tools per request). */
export const MAX_MCP_TOOLS = 128;
export const MAX_MCP_DESCRIPTION_CHARS = 1_024;
/** A tool whose input schema is larger than this (as JSON) is left out of the listing, with a warning. */
export const MAX_MCP_SCHEMA_BYTES = 32 * 1024;
const MAX_NAME_CHARS = 128;

/** What the SDK's tools/list answer carries per tool (the parts we read). */
export type ListedTool = {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: { title?: string; readOnlyHint?: boolean; destructiveHint?: boolean };
};

export type NormalisedTools = { tools: Omit<StoredMcpTool, 'enabled' | 'askFirst'>[]; warnings: string[] };

/** Keeps what the product shows and offers, bounded; drops what it can't offer (with a warning naming the tool). */
export function normaliseTools(listed: readonly ListedTool[]): NormalisedTools {
  const warnings: string[] = [];
  const tools: NormalisedTools['tools'] = [];
  const seen = new Set<string>();
  for (const tool of listed) {
    const name = typeof tool.name === 'string' ? tool.name.trim() : '';
    if (!name || name.length > MAX_NAME_CHARS || /[\u0000-\u001f\u007f]/.test(name)) {
      warnings.push('A tool with an empty, overlong or unprintable name was left out.');
      continue;
    }
    if (seen.has(name)) continue;
    const schema = tool.inputSchema && typeof tool.inputSchema === 'object' ? tool.inputSchema : { type: 'object' };
    if (Buffer.byteLength(JSON.stringify(schema), 'utf8') > MAX_MCP_SCHEMA_BYTES) {
      warnings.push(`${name}: its input schema is larger than ${MAX_MCP_SCHEMA_BYTES / 1024} KiB, so it was left out.`);
      continue;
    }
    if (tools.length >= MAX_MCP_TOOLS) {
      warnings.push(`Only the first ${MAX_MCP_TOOLS} tools are kept.`);
      break;
    }
    seen.add(name);
    tools.push({
      name,
      title: String(tool.title ?? tool.annotations?.title ?? '').slice(0, 200),
      description: String(tool.description ?? '').slice(0, MAX_MCP_DESCRIPTION_CHARS),
      inputSchema: { ...schema, type: 'object' },
      readOnly: tool.annotations?.readOnlyHint === true,
      // The spec's default for a tool that is not read-only is destructive.
      destructive: tool.annotations?.readOnlyHint !== true && tool.annotations?.destructiveHint !== false,
    });
  }
  return { tools, warnings };
}

/**
 * The switches after a (re)listing: a tool that was listed before keeps its switches; a new one starts on
 * (and runs without asking) only when the server marks it read-only.
 */
export function withSwitches(tools: NormalisedTools['tools'], previous: readonly StoredMcpTool[]): StoredMcpTool[] {
  const before = new Map(previous.map((tool) => [tool.name, tool]));
  return tools.map((tool) => {
    const old = before.get(tool.name);
    return { ...tool, enabled: old?.enabled ?? tool.readOnly, askFirst: old?.askFirst ?? !tool.readOnly };
  });
}

/** The model-facing name: `mcp_<8 hex of the server id>_<tool name, sanitised>`, at most 64 characters. */
export function mcpToolName(serverId: string, toolName: string): string {
  const prefix = `mcp_${serverId.replace(/-/g, '').slice(0, 8)}_`;
  const clean = toolName.replace(/[^A-Za-z0-9_-]/g, '_');
  const room = 64 - prefix.length;
  if (clean.length <= room && clean === toolName) return prefix + clean;
  // Sanitised or cut: a short hash of the real name keeps two such names apart.
  const hash = createHash('sha256').update(toolName).digest('hex').slice(0, 6);
  return `${prefix}${clean.slice(0, room - 7)}_${hash}`;
}
