import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, copilots } from '@/db/schema';
import { snapshotDatabase } from '@/test/db-snapshot';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { updateHeaderSchemaAction } from './session-actions';

let admin: TestUser;
let copilotId: string;

const ROW = { name: 'User-Token', required: true, pattern: '^Bearer [A-Za-z0-9._-]+$', maxLength: '2048', description: "The signed-in user's token" };

beforeAll(async () => {
  const owner = await createUser();
  admin = await createUser();
  copilotId = (await createCopilot(owner)).id;
  await addMembership(copilotId, admin, 'admin');
});

async function stored() {
  const [row] = await (await getDb()).select({ schema: copilots.headerSchema }).from(copilots).where(eq(copilots.id, copilotId));
  return row!.schema;
}

describe('[HEADERS][SCHEMA]: saving the header schema', () => {
  it('an admin saves declared headers; the stored schema has numbers and nulls, and the audit names the headers', async () => {
    await actAs(admin);
    const result = await updateHeaderSchemaAction({ copilotId, entries: [ROW, { name: 'X-Tenant', required: false, pattern: '', maxLength: '', description: '' }] });
    expect(result).toEqual({ ok: true, data: undefined });
    expect(await stored()).toEqual([
      { name: 'User-Token', required: true, pattern: '^Bearer [A-Za-z0-9._-]+$', maxLength: 2048, description: "The signed-in user's token" },
      { name: 'X-Tenant', required: false, pattern: null, maxLength: null, description: '' },
    ]);
    const [event] = await (await getDb()).select().from(auditEvents).where(eq(auditEvents.action, 'copilot.header_schema_update'));
    expect(event!.metadata).toEqual({ headersBefore: [], headersAfter: ['User-Token', 'X-Tenant'], required: ['User-Token'] });
  });

  it('[header-patterns-linear]: a pattern outside the safe subset (catastrophic backtracking), a bad name, a duplicate or a bad length gets a field error on that row and changes nothing', async () => {
    await actAs(admin);
    const before = await snapshotDatabase();
    const bad: [Record<string, unknown>[], string][] = [
      [[{ ...ROW, pattern: '^(a+)+$' }], 'entries.0.pattern'],
      [[{ ...ROW, pattern: 'x'.repeat(201) }], 'entries.0.pattern'],
      [[{ ...ROW, name: 'User Token' }], 'entries.0.name'],
      [[ROW, { ...ROW, name: 'user-token' }], 'entries.1.name'],
      [[{ ...ROW, maxLength: '0' }], 'entries.0.maxLength'],
      [[{ ...ROW, maxLength: '9000' }], 'entries.0.maxLength'],
    ];
    for (const [entries, field] of bad) {
      const result = await updateHeaderSchemaAction({ copilotId, entries } as never);
      expect(result, field).toMatchObject({ ok: false, fieldErrors: { [field]: [expect.any(String)] } });
    }
    expect(await snapshotDatabase()).toBe(before);
  });

  it('an empty schema accepts any header again', async () => {
    await actAs(admin);
    expect(await updateHeaderSchemaAction({ copilotId, entries: [] })).toMatchObject({ ok: true });
    expect(await stored()).toEqual([]);
  });
});
