/** The server-sent events of one chat turn (docs/widget.md, "Chat endpoint"). */
export type ChatEvent =
  | { type: 'text'; data: { delta: string } }
  | { type: 'tool_call'; data: { id: string; operation: string; method: string; path: string } }
  | { type: 'tool_result'; data: { id: string; status: number; durationMs: number } | { id: string; error: string } }
  | { type: 'auth_error'; data: { status: number; operation: string } }
  | { type: 'error'; data: { code: ChatErrorCode; message: string } }
  | { type: 'done'; data: Record<string, never> };

export type ChatErrorCode = 'model_error' | 'configuration_error' | 'max_steps' | 'internal_error';

export type Emit = (event: ChatEvent) => void;

/** `event: <type>\ndata: <one-line JSON>\n\n` — JSON.stringify never emits a raw newline. */
export function formatEvent(event: ChatEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
