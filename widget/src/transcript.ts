// The conversation, in memory only: the server keeps no state, so every turn sends it again.
import type { ChatMessage, WidgetError } from './protocol';

export type ToolChip = { id: string; method: string; path: string; status?: number; error?: string; durationMs?: number };

export type Turn = {
  question: string;
  answer: string;
  tools: ToolChip[];
  state: 'waiting' | 'streaming' | 'done' | 'stopped' | 'failed';
  error: WidgetError | null;
};

export function newTurn(question: string): Turn {
  return { question, answer: '', tools: [], state: 'waiting', error: null };
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
