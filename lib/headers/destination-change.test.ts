import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, globalHeaders } from '@/db/schema';
import { snapshotDatabase } from '@/test/db-snapshot';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { createHeaderAction, updateHeaderAction } from './actions';

let owner: TestUser;
let admin: TestUser;
let copilotId: string;

beforeAll(async () => {
  owner = await createUser();
  admin = await createUser();
  copilotId = (await createCopilot(owner, { apiBaseUrls: ['https://api.example.com/v1', 'https://files.example.com'] })).id;
  await addMembership(copilotId, admin, 'admin');
});

/** A header scoped to api.example.com/v1/orders, created by the admin. */
async function scopedHeader(name: string) {
  await actAs(admin);
  const created = await createHeaderAction({ copilotId, kind: 'api_key', name, value: 'orders-secret-8899', allowWidgetOverride: false, scopeHost: 'api.example.com', scopePathPrefix: '/v1/orders' });
  if (!created.ok) throw new Error(created.message);
  return { copilotId, headerId: created.data.id, expectedVersion: 1, kind: 'api_key' as const, name, allowWidgetOverride: false, scopeHost: 'api.example.com', scopePathPrefix: '/v1/orders' };
}

async function row(headerId: string) {
  const [r] = await (await getDb()).select().from(globalHeaders).where(eq(globalHeaders.id, headerId));
  return r!;
}

describe('[no-silent-destination-change] (fixed: an admin could send the write-only secrets to a host they control): a stored value does not silently follow a new name or scope', () => {
  it('[no-silent-destination-change] (fixed: an admin could send the write-only secrets to a host they control): an admin cannot un-scope or re-scope a header, with or without the value', async () => {
    const edit = await scopedHeader('X-Orders-Key');
    await actAs(admin, { recentlyAuthenticated: true });
    const before = await snapshotDatabase();
    for (const change of [{ scopeHost: '', scopePathPrefix: '' }, { scopeHost: 'files.example.com' }, { scopePathPrefix: '/v1' }, { scopeHost: '', value: 'typed-again-1234' }]) {
      const result = await updateHeaderAction({ ...edit, ...change, keepValueForNewDestination: true });
      expect(result, JSON.stringify(change)).toMatchObject({ ok: false, fieldErrors: { scopeHost: ['Only an owner can change where a header is sent.'] } });
    }
    expect(await snapshotDatabase()).toBe(before);
  });

  it('[no-silent-destination-change] (fixed: an admin could send the write-only secrets to a host they control): renaming needs the value typed again; with it, an admin may rename', async () => {
    const edit = await scopedHeader('X-Rename-Me');
    await actAs(admin);
    const before = await snapshotDatabase();
    const refused = await updateHeaderAction({ ...edit, name: 'X-Debug-Echo', keepValueForNewDestination: true });
    expect(refused).toMatchObject({ ok: false, fieldErrors: { value: ['Enter the value again for the new destination'] } });
    expect(await snapshotDatabase()).toBe(before);
    // Only the letter case changes: the same header on the wire, no re-entry needed.
    expect(await updateHeaderAction({ ...edit, name: 'x-rename-me' })).toMatchObject({ ok: true });
    expect(await updateHeaderAction({ ...edit, expectedVersion: 2, name: 'X-Renamed', value: 'typed-again-5678' })).toMatchObject({ ok: true });
    expect(await row(edit.headerId)).toMatchObject({ name: 'X-Renamed', preview: '••••••••5678' });
  });

  it('[no-silent-destination-change] (fixed: an admin could send the write-only secrets to a host they control): an owner keeps the stored value for a new scope only by ticking the confirmation and confirming the password; the audit records the scope before → after', async () => {
    const edit = await scopedHeader('X-Owner-Moves');
    const unscope = { ...edit, scopeHost: '', scopePathPrefix: '' };
    await actAs(owner);
    const before = await snapshotDatabase();
    expect(await updateHeaderAction(unscope)).toMatchObject({ ok: false, fieldErrors: { value: ['Enter the value again for the new destination'] } });
    expect(await updateHeaderAction({ ...unscope, keepValueForNewDestination: true })).toMatchObject({ ok: false, code: 'reauth_required' });
    expect(await snapshotDatabase()).toBe(before);

    await actAs(owner, { recentlyAuthenticated: true });
    expect(await updateHeaderAction({ ...unscope, keepValueForNewDestination: true })).toMatchObject({ ok: true });
    expect(await row(edit.headerId)).toMatchObject({ scopeHost: null, scopePathPrefix: null, preview: '••••••••8899' });
    const [event] = await (await getDb())
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'header.update'), eq(auditEvents.target, 'X-Owner-Moves')));
    expect(event!.metadata).toMatchObject({ scopeBefore: 'api.example.com/v1/orders', scopeAfter: 'every API base URL', valueReplaced: false, storedValueConfirmedForNewDestination: true });
    expect(JSON.stringify(event)).not.toContain('orders-secret-8899');
  });

  it('an owner changing the scope with a new value still confirms the password, but needs no tick', async () => {
    const edit = await scopedHeader('X-Owner-Retypes');
    await actAs(owner);
    const change = { ...edit, scopeHost: 'files.example.com', scopePathPrefix: '', value: 'files-secret-2211' };
    expect(await updateHeaderAction(change)).toMatchObject({ ok: false, code: 'reauth_required' });
    await actAs(owner, { recentlyAuthenticated: true });
    expect(await updateHeaderAction(change)).toMatchObject({ ok: true });
    expect(await row(edit.headerId)).toMatchObject({ scopeHost: 'files.example.com', scopePathPrefix: null, preview: '••••••••2211' });
  });

  it('edits that keep the destination need neither (the rule is not refusing every edit)', async () => {
    const edit = await scopedHeader('X-Plain-Edit');
    await actAs(admin);
    expect(await updateHeaderAction({ ...edit, allowWidgetOverride: true })).toMatchObject({ ok: true, data: { version: 2 } });
    expect(await updateHeaderAction({ ...edit, expectedVersion: 2, value: 'rotated-value-3344' })).toMatchObject({ ok: true, data: { version: 3 } });
  });
});
