import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { globalHeaders } from '@/db/schema';
import { createCopilot, createUser } from '@/test/factories';
import { createDashboardHeader } from '@/test/runtime-fixtures';
import { recordHeaderUsage } from './stored';

describe('recordHeaderUsage', () => {
  it('a batch that spans a rotation writes every use of a header: failures only against the current value, last used is the latest call', async () => {
    const db = await getDb();
    const { id: copilotId } = await createCopilot(await createUser());
    const { id } = await createDashboardHeader(copilotId, { name: 'X-Usage', value: 'usage-value-current' });
    const [{ current }] = (await db.select({ current: sql<string>`${globalHeaders.rotatedAt}::text` }).from(globalHeaders).where(eq(globalHeaders.id, id))) as [{ current: string }];
    const stale = '2001-01-01 00:00:00+00';
    const earlier = new Date(Date.now() - 60_000);
    const later = new Date();

    // The stale value's use is the later one: whichever single row an UPDATE … FROM picked, one fact was lost.
    await recordHeaderUsage(db, [
      { id, rotatedAt: current, authFailures: 1, lastUsedAt: earlier },
      { id, rotatedAt: stale, authFailures: 2, lastUsedAt: later },
    ]);

    const [after] = await db.select({ failures: globalHeaders.authFailuresSinceRotation, lastUsedAt: globalHeaders.lastUsedAt }).from(globalHeaders).where(eq(globalHeaders.id, id));
    expect(after!.failures).toBe(1);
    expect(after!.lastUsedAt!.getTime()).toBe(later.getTime());
  });
});
