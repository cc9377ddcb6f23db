import type { ApprovalRefusal } from './approvals';
import type { ToolParameters } from './tools';

/** The server-sent events of one chat turn (docs/widget.md, "Chat endpoint"). */
export type ChatEvent =
  | { type: 'diagnostics'; data: { droppedHeaders: string[] } }
  | { type: 'text'; data: { delta: string } }
  | { type: 'tool_call'; data: { id: string; operation: string; method: string; path: string } }
  | { type: 'tool_result'; data: { id: string; status: number; durationMs: number } | { id: string; error: string } }
  /** `perUserHeaders`: the names (never values) of the page's or session's headers the refused call carried; [] when none. */
  | { type: 'auth_error'; data: { status: number; operation: string; perUserHeaders: string[] } }
  | { type: 'approval_required'; data: { id: string; operation: string; method: string; path: string; parameters: ToolParameters; expiresAt: string } }
  | { type: 'error'; data: { code: ChatErrorCode; message: string } }
  | { type: 'done'; data: Record<string, never> };

export type ChatErrorCode = 'model_error' | 'configuration_error' | 'max_steps' | 'internal_error' | ApprovalRefusal;

export type Emit = (event: ChatEvent) => void;

/** `event: <type>\ndata: <one-line JSON>\n\n` — JSON.stringify never emits a raw newline. */
export function formatEvent(event: ChatEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
