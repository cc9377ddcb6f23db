import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { mcpTokens } from '@/db/schema';
import { bumpRuntimeGenerations } from '@/core/runtime-generation';

/**
 * A person's role changed (removed, role changed, account disabled, instance admin revoked): the copilots
 * their live MCP tokens belong to get a new runtime generation, so every runtime instance forgets the
 * tokens it remembered and checks the holder again on the next call ([changes-live-within-1s]). Call it
 * inside the change's transaction. `copilotId` null: any copilot.
 */
export async function holderChanged(tx: Executor, { userId, copilotId }: { userId: string; copilotId: string | null }): Promise<void> {
  const rows = await tx
    .selectDistinct({ copilotId: mcpTokens.copilotId })
    .from(mcpTokens)
    .where(and(eq(mcpTokens.createdBy, userId), isNull(mcpTokens.revokedAt), copilotId ? eq(mcpTokens.copilotId, copilotId) : undefined));
  await bumpRuntimeGenerations(tx, rows.map((r) => r.copilotId));
}
