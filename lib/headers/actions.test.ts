import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, globalHeaders, headerVersions } from '@/db/schema';
import { decryptSecret } from '@/core/crypto/aead';
import { actAs, createCopilot, createUser, type TestUser } from '@/test/factories';
import { snapshotDatabase } from '@/test/db-snapshot';
import { createHeaderAction, deleteHeaderAction, updateHeaderAction } from './actions';
import { listHeaders, type HeaderListItem } from './queries';
import { loadDashboardHeaders } from '@/core/headers/stored';
import { MAX_HEADERS_PER_ENVIRONMENT } from './schema';

const SECRET = 'sk_live_9f8e7d6c5b4a3210ZYXWV';
let admin: TestUser;
let copilotId: string;

const base = (over: Record<string, unknown> = {}) => ({
  copilotId,
  kind: 'api_key' as const,
  name: 'X-API-Key',
  value: SECRET,
  allowWidgetOverride: false,
  scopeHost: '',
  scopePathPrefix: '',
  ...over,
});

async function rawRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(globalHeaders).where(eq(globalHeaders.id, id));
  return row!;
}

beforeAll(async () => {
  admin = await createUser();
  copilotId = (await createCopilot(admin)).id;
});

describe('global header actions', () => {
  it('creates an API key: encrypted with the row bound in, preview stored, audit without the value', async () => {
    await actAs(admin);
    const result = await createHeaderAction(base());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const row = await rawRow(result.data.id);
    expect(row.preview).toBe('••••••••YXWV');
    expect(row.ciphertext.toString('latin1')).not.toContain(SECRET);
    expect(decryptSecret({ ciphertext: row.ciphertext, keyVersion: row.keyVersion }, { copilotId, headerId: row.id })).toBe(SECRET);
    const db = await getDb();
    const events = await db.select().from(auditEvents).where(eq(auditEvents.copilotId, copilotId));
    expect(events.map((e) => e.action)).toContain('header.create');
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });

  it('stores Bearer and Basic in their wire form and previews them with the scheme word only', async () => {
    await actAs(admin);
    const bearer = await createHeaderAction(base({ kind: 'bearer', name: 'Authorization', value: undefined, token: 'tok_abcdefghijklmnop1234' }));
    expect(bearer.ok).toBe(true);
    const headers = await loadDashboardHeaders(await getDb(), { copilotId });
    expect(headers.find((h) => h.name === 'Authorization')?.value).toBe('Bearer tok_abcdefghijklmnop1234');
    const list = await listHeaders(await getDb(), { copilotId });
    expect(list.find((h) => h.name === 'Authorization')?.preview).toBe('Bearer ••••••••1234');
    // Authorization is taken now: Basic on the same copilot is a name clash, reported on the field.
    const basic = await createHeaderAction(base({ kind: 'basic', name: 'authorization', value: undefined, username: 'svc', password: 'pw-123456' }));
    expect(basic).toMatchObject({ ok: false, fieldErrors: { name: [expect.stringContaining('already has a header named')] } });
  });

  it('refuses a duplicate name case-insensitively and changes nothing', async () => {
    await actAs(admin);
    const before = await snapshotDatabase();
    const result = await createHeaderAction(base({ name: 'x-api-KEY', value: 'another-value-123' }));
    expect(result).toMatchObject({ ok: false, fieldErrors: { name: [expect.stringContaining('case-insensitive')] } });
    expect(await snapshotDatabase()).toBe(before);
  });

  it('[bad-input-changes-nothing]: bad input gets field-level errors and changes nothing', async () => {
    await actAs(admin);
    const before = await snapshotDatabase();
    const result = await createHeaderAction(base({ name: 'Content-Length', value: 'a\r\nX-Evil: 1' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(['name', 'value']);
    expect(JSON.stringify(result)).not.toContain('X-Evil');
    expect(await snapshotDatabase()).toBe(before);
  });

  it('[no-lost-updates]: an update based on a stale version is refused with "changed by someone else" and changes nothing', async () => {
    await actAs(admin);
    const created = await createHeaderAction(base({ name: 'X-Stale', value: 'first-value-abcdef' }));
    if (!created.ok) throw new Error('setup failed');
    const first = await updateHeaderAction({ ...base({ name: 'X-Stale', value: '' }), headerId: created.data.id, expectedVersion: 1, allowWidgetOverride: true });
    expect(first).toEqual({ ok: true, data: { version: 2, changed: true } });
    const before = await snapshotDatabase();
    const second = await updateHeaderAction({ ...base({ name: 'X-Stale-Renamed', value: 'lost-update-value' }), headerId: created.data.id, expectedVersion: 1 });
    // code 'stale' is what makes the form offer "Reload" (and keep what was typed).
    expect(second).toMatchObject({ ok: false, code: 'stale', message: expect.stringContaining('changed by someone else') });
    expect(await snapshotDatabase()).toBe(before);
    const stale = await deleteHeaderAction({ copilotId, headerId: created.data.id, expectedVersion: 1 });
    expect(stale).toMatchObject({ ok: false, code: 'stale', message: expect.stringContaining('changed by someone else') });
  });

  it('a save that changes nothing is a no-op: no new version, no audit event, no runtime reload', async () => {
    await actAs(admin);
    const created = await createHeaderAction(base({ name: 'X-Same', value: 'unchanged-value-abcdef', scopePathPrefix: '/v1' }));
    if (!created.ok) throw new Error('setup failed');
    const before = await snapshotDatabase();
    // The same name, flag and scope as stored, and no new value (the scope as the form sends it back).
    const same = await updateHeaderAction({ ...base({ name: 'X-Same', value: '', scopePathPrefix: '/v1' }), headerId: created.data.id, expectedVersion: 1 });
    expect(same).toEqual({ ok: true, data: { version: 1, changed: false } });
    expect(await snapshotDatabase()).toBe(before);
    // Typing the value again is a change (a rotation), even if it happens to be the same text.
    const retyped = await updateHeaderAction({ ...base({ name: 'X-Same', value: 'unchanged-value-abcdef', scopePathPrefix: '/v1' }), headerId: created.data.id, expectedVersion: 1 });
    expect(retyped).toEqual({ ok: true, data: { version: 2, changed: true } });
  });

  it('an empty value keeps the stored one; a new value rotates it and keeps the old ciphertext for rollback', async () => {
    await actAs(admin);
    const created = await createHeaderAction(base({ name: 'X-Rotate', value: 'old-secret-value-0001' }));
    if (!created.ok) throw new Error('setup failed');
    const id = created.data.id;
    const db = await getDb();
    await db.update(globalHeaders).set({ authFailuresSinceRotation: 3 }).where(eq(globalHeaders.id, id));
    await updateHeaderAction({ ...base({ name: 'X-Rotate', value: '' }), headerId: id, expectedVersion: 1, allowWidgetOverride: true });
    let value = (await loadDashboardHeaders(db, { copilotId })).find((h) => h.id === id)?.value;
    expect(value).toBe('old-secret-value-0001');
    await updateHeaderAction({ ...base({ name: 'X-Rotate', value: 'new-secret-value-0002' }), headerId: id, expectedVersion: 2 });
    value = (await loadDashboardHeaders(db, { copilotId })).find((h) => h.id === id)?.value;
    expect(value).toBe('new-secret-value-0002');
    const row = await rawRow(id);
    expect(row).toMatchObject({ version: 3, authFailuresSinceRotation: 0, preview: '••••••••0002' });
    const history = await db.select().from(headerVersions).where(eq(headerVersions.headerId, id));
    expect(history.map((h) => h.version)).toEqual([2]);
    expect(decryptSecret(history[0]!, { copilotId, headerId: id })).toBe('old-secret-value-0001');
  });

  it('deletes with the current version and records it', async () => {
    await actAs(admin);
    const created = await createHeaderAction(base({ name: 'X-Delete-Me', value: 'delete-me-value-123' }));
    if (!created.ok) throw new Error('setup failed');
    expect(await deleteHeaderAction({ copilotId, headerId: created.data.id, expectedVersion: 1 })).toEqual({ ok: true, data: undefined });
    expect((await listHeaders(await getDb(), { copilotId })).some((h) => h.id === created.data.id)).toBe(false);
  });

  it('refuses a header id that belongs to another copilot, even for its own admin', async () => {
    const other = await createUser();
    const otherCopilot = await createCopilot(other);
    await actAs(other);
    const foreign = await createHeaderAction({ ...base({ name: 'X-Foreign', value: 'foreign-value-1234' }), copilotId: otherCopilot.id });
    if (!foreign.ok) throw new Error('setup failed');
    await actAs(admin);
    const before = await snapshotDatabase();
    expect(await deleteHeaderAction({ copilotId, headerId: foreign.data.id, expectedVersion: 1 })).toMatchObject({ ok: false });
    expect(await updateHeaderAction({ ...base({ name: 'X-Foreign', value: 'pwned-value-1234' }), headerId: foreign.data.id, expectedVersion: 1 })).toMatchObject({ ok: false });
    expect(await snapshotDatabase()).toBe(before);
  });

  it(`allows at most ${MAX_HEADERS_PER_ENVIRONMENT} headers per environment`, async () => {
    const owner = await createUser();
    const full = await createCopilot(owner);
    await actAs(owner);
    for (let i = 0; i < MAX_HEADERS_PER_ENVIRONMENT; i++) {
      const r = await createHeaderAction({ ...base({ name: `X-H${i}`, value: `value-${i}` }), copilotId: full.id });
      expect(r.ok).toBe(true);
    }
    const over = await createHeaderAction({ ...base({ name: 'X-One-Too-Many', value: 'value' }), copilotId: full.id });
    expect(over).toMatchObject({ ok: false, message: expect.stringContaining(`at most ${MAX_HEADERS_PER_ENVIRONMENT}`) });
  });
});

describe('DTO: the list query cannot carry a secret', () => {
  it('HeaderListItem has no ciphertext or value field, by type and at run time', async () => {
    expectTypeOf<HeaderListItem>().not.toHaveProperty('ciphertext');
    expectTypeOf<HeaderListItem>().not.toHaveProperty('value');
    expectTypeOf<HeaderListItem>().not.toHaveProperty('keyVersion');
    const rows = await listHeaders(await getDb(), { copilotId });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(
        ['allowWidgetOverride', 'authFailuresSinceRotation', 'id', 'kind', 'lastUsedAt', 'name', 'pendingAt', 'pendingPreview', 'pendingTestStatus', 'preview', 'rotatedAt', 'rotationDays', 'scopeHost', 'scopePathPrefix', 'updatedAt', 'updatedByEmail', 'valueNumber', 'version'],
      );
      expect(row.updatedAt).toBeInstanceOf(Date);
      expect(Object.keys(row)).not.toContain('ciphertext');
      expect(Object.keys(row)).not.toContain('value');
      expect(JSON.stringify(row)).not.toContain(SECRET);
    }
  });
});
