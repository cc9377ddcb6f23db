import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { copilots } from '@/db/schema';

// Copilots this process already marked: the write happens once per copilot and process, not per message.
const marked = new Set<string>();

/**
 * Records that the chat endpoint answered this copilot for the first time (the setup checklist's last
 * tick). Only a timestamp: nothing of the conversation. A failure is the caller's to ignore.
 */
export async function markFirstAnswer(db: Executor, copilotId: string): Promise<void> {
  if (marked.has(copilotId)) return;
  await db.update(copilots).set({ firstAnswerAt: new Date() }).where(and(eq(copilots.id, copilotId), isNull(copilots.firstAnswerAt)));
  marked.add(copilotId);
}
