// The conversation, in memory only: the server keeps no state, so every turn sends it again.
import type { ChatMessage, PendingApproval, WidgetError } from './protocol';

export type ToolChip = { id: string; method: string; path: string; status?: number; error?: string; durationMs?: number };

export type Turn = {
  question: string;
  answer: string;
  tools: ToolChip[];
  /** Header names the copilot's header schema left out of this turn (never values). */
  droppedHeaders?: string[];
  state: 'waiting' | 'streaming' | 'done' | 'stopped' | 'failed';
  error: WidgetError | null;
  /** A call waiting for the user's Approve / Deny, then their answer. */
  approval: (PendingApproval & { decision?: 'approve' | 'deny' }) | null;
};

export function newTurn(question: string): Turn {
  return { question, answer: '', tools: [], state: 'waiting', error: null, approval: null };
}

/** The parameters as label/value rows: nested objects flattened ("address.city"), other values as JSON. */
export function parameterRows(parameters: Record<string, unknown>): [string, string][] {
  const rows: [string, string][] = [];
  const add = (label: string, value: unknown, depth: number) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && depth < 4) {
      for (const [key, item] of Object.entries(value)) add(label ? `${label}.${key}` : key, item, depth + 1);
    } else rows.push([label || 'body', typeof value === 'string' ? value : JSON.stringify(value) ?? '']);
  };
  // path, query and body are the request's parts, not names the user knows: their keys stand alone.
  for (const part of ['path', 'query', 'body']) if (part in parameters) add('', parameters[part], 0);
  return rows;
}

/**
 * The messages for `turn`: earlier questions that got an answer (even a partial one) with that
 * answer, then this question. Unanswered questions stay on screen but out of the model's context.
 */
export function messagesFor(turns: readonly Turn[], turn: Turn): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const t of turns) {
    if (t === turn) break;
    if (!t.answer.trim()) continue;
    messages.push({ role: 'user', content: t.question }, { role: 'assistant', content: t.answer });
  }
  messages.push({ role: 'user', content: turn.question });
  return messages;
}

export type ChipState = 'pending' | 'ok' | 'failed';

export function chipState(chip: ToolChip): ChipState {
  if (chip.error) return 'failed';
  if (chip.status === undefined) return 'pending';
  return chip.status < 400 ? 'ok' : 'failed';
}

/** "GET /orders/42 …", "GET /orders/42 → 200", "GET /orders/42 → destination refused". */
export function chipLabel(chip: ToolChip): string {
  const call = `${chip.method.toUpperCase()} ${chip.path}`;
  if (chip.error) return `${call} → ${chip.error.replace(/_/g, ' ')}`;
  if (chip.status === undefined) return `${call} …`;
  return `${call} → ${chip.status}`;
}
