import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { describeAuditEvent } from '@/lib/audit/sentences';
import { auditEvents, copilots, globalHeaders, headerVersions } from '@/db/schema';
import { loadDashboardHeaders } from '@/core/headers/stored';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { snapshotDatabase } from '@/test/db-snapshot';
import { dumpAllTables } from '@/test/runtime-fixtures';
import { redirect, startServer, type TestServer } from '@/test/fixtures/test-servers';
import { createHeaderAction, updateHeaderAction } from '../actions';
import { MAX_HISTORY_ENTRIES } from '../history';
import { listHeaders } from '../queries';
import { cancelPendingValueAction, promoteHeaderValueAction, rollbackHeaderValueAction, setRotationReminderAction, stageHeaderValueAction } from './rotation-actions';
import { listCredentialAttention, listHeaderHistory } from './rotation-queries';
import { testRequestAction } from '../test-request/test-request-action';
import { VERIFY_ATTEMPTS_PER_MINUTE } from './rotation-schema';
import { verifyHeaderValueAction } from './verify-value-action';

const V1 = 'rotation-value-one-AAAA1111';
const V2 = 'rotation-value-two-BBBB2222';
const V3 = 'rotation-value-three-CCCC3333';

let upstream: TestServer;
let owner: TestUser;
let admin: TestUser;
let rival: TestUser;
let copilotId: string;

beforeAll(async () => {
  upstream = await startServer();
  upstream.route('/api/check', (req, res) => {
    const ok = req.headers['x-staged'] === V2;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'text/plain' });
    res.end(ok ? 'fine' : 'nope');
  });
  upstream.route('/api/hop', redirect('/api/refused'));
  upstream.route('/api/refused', (_req, res) => {
    res.writeHead(401, { 'content-type': 'text/plain' });
    res.end('nope');
  });
  owner = await createUser();
  admin = await createUser({ email: 'rotation-admin@example.test' });
  rival = await createUser({ email: 'rotation-rival@example.test' });
  copilotId = (await createCopilot(owner, { apiBaseUrls: [`${upstream.origin}/api`] })).id;
  await addMembership(copilotId, admin, 'admin');
  await addMembership(copilotId, rival, 'admin');
});

afterAll(async () => {
  await upstream.close();
});

async function newHeader(name: string, value = V1, over: Record<string, unknown> = {}) {
  await actAs(admin);
  const created = await createHeaderAction({ copilotId, kind: 'api_key', name, value, allowWidgetOverride: false, scopeHost: '', scopePathPrefix: '', ...over });
  if (!created.ok) throw new Error(created.message);
  return created.data.id;
}

async function row(headerId: string) {
  const [r] = await (await getDb()).select().from(globalHeaders).where(eq(globalHeaders.id, headerId));
  return r!;
}

async function currentValue(headerId: string) {
  return (await loadDashboardHeaders(await getDb(), { copilotId })).find((h) => h.id === headerId)?.value;
}

async function generation() {
  const [r] = await (await getDb()).select({ g: copilots.runtimeGeneration }).from(copilots).where(eq(copilots.id, copilotId));
  return r!.g;
}

async function actions(headerName: string) {
  const events = await (await getDb()).select().from(auditEvents).where(and(eq(auditEvents.copilotId, copilotId), eq(auditEvents.target, headerName)));
  return events.map((e) => e.action);
}

function unwrap<T>(result: { ok: true; data: T } | { ok: false; message: string }): T {
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

describe('value history and rollback', () => {
  it('a replaced value is kept encrypted with its preview, who set it and when; History lists previews only', async () => {
    const id = await newHeader('X-History');
    const before = await row(id);
    await actAs(rival);
    unwrap(await updateHeaderAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', name: 'X-History', value: V2, allowWidgetOverride: false }));
    const history = await listHeaderHistory(await getDb(), { copilotId, headerId: id });
    expect(history).toHaveLength(1);
    expect(Object.keys(history[0]!).sort()).toEqual(['preview', 'retiredAt', 'retiredByEmail', 'setAt', 'setByEmail', 'valueNumber', 'version']);
    expect(history[0]).toMatchObject({ version: 1, preview: before.preview, setByEmail: admin.email, retiredByEmail: rival.email });
    expect(history[0]!.setAt?.getTime()).toBe(before.rotatedAt.getTime());
    expect(JSON.stringify(history)).not.toContain(V1);
    expect(await dumpAllTables()).not.toContain(V1);
  });

  it('History numbers values, not writes (fixed: the first value of a rotated header was labelled "Version 2"): staging, renaming or re-scoping leave the number alone', async () => {
    const id = await newHeader('X-Numbers');
    await actAs(admin);
    const staged = unwrap(await stageHeaderValueAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', value: V2 }));
    const promoted = unwrap(await promoteHeaderValueAction({ copilotId, headerId: id, expectedVersion: staged.version, anyway: true }));
    expect((await listHeaderHistory(await getDb(), { copilotId, headerId: id })).map((h) => h.valueNumber)).toEqual([1]);
    const renamed = unwrap(await updateHeaderAction({ copilotId, headerId: id, expectedVersion: promoted.version, kind: 'api_key', name: 'X-Numbers', value: '', allowWidgetOverride: true }));
    const listed = (await listHeaders(await getDb(), { copilotId })).find((h) => h.id === id)!;
    expect([listed.version, listed.valueNumber]).toEqual([renamed.version, 2]);
    unwrap(await rollbackHeaderValueAction({ copilotId, headerId: id, expectedVersion: renamed.version, toVersion: staged.version }));
    expect((await listHeaders(await getDb(), { copilotId })).find((h) => h.id === id)!.valueNumber).toBe(3);
    expect((await listHeaderHistory(await getDb(), { copilotId, headerId: id })).map((h) => h.valueNumber)).toEqual([2]);
  });

  it('History is per copilot: another copilot id sees nothing', async () => {
    const id = await newHeader('X-History-Foreign');
    await actAs(admin);
    unwrap(await updateHeaderAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', name: 'X-History-Foreign', value: V2, allowWidgetOverride: false }));
    const other = await createCopilot(owner);
    expect(await listHeaderHistory(await getDb(), { copilotId: other.id, headerId: id })).toEqual([]);
  });

  it('rollback restores an earlier value under a new version number, keeps the replaced one, audits and tells runtimes', async () => {
    const id = await newHeader('X-Rollback');
    await actAs(admin);
    unwrap(await updateHeaderAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', name: 'X-Rollback', value: V2, allowWidgetOverride: false }));
    const generationBefore = await generation();
    const { version } = unwrap(await rollbackHeaderValueAction({ copilotId, headerId: id, expectedVersion: 2, toVersion: 1 }));
    expect(version).toBe(3);
    expect(await currentValue(id)).toBe(V1);
    expect(await generation()).toBeGreaterThan(generationBefore);
    const history = await listHeaderHistory(await getDb(), { copilotId, headerId: id });
    expect(history.map((h) => h.version)).toEqual([2]);
    expect((await row(id)).authFailuresSinceRotation).toBe(0);
    expect(await actions('X-Rollback')).toContain('header.rollback');
    // and forward again
    unwrap(await rollbackHeaderValueAction({ copilotId, headerId: id, expectedVersion: 3, toVersion: 2 }));
    expect(await currentValue(id)).toBe(V2);
  });

  it('[no-lost-updates]: a rollback against a stale version, or to a version not kept, changes nothing', async () => {
    const id = await newHeader('X-Rollback-Stale');
    await actAs(admin);
    unwrap(await updateHeaderAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', name: 'X-Rollback-Stale', value: V2, allowWidgetOverride: false }));
    const before = await snapshotDatabase();
    expect(await rollbackHeaderValueAction({ copilotId, headerId: id, expectedVersion: 1, toVersion: 1 })).toMatchObject({ ok: false, message: expect.stringContaining('Someone else changed') });
    expect(await rollbackHeaderValueAction({ copilotId, headerId: id, expectedVersion: 2, toVersion: 7 })).toMatchObject({ ok: false, fieldErrors: { toVersion: ['No longer available'] } });
    expect(await snapshotDatabase()).toBe(before);
  });

  it(`keeps at most the last ${MAX_HISTORY_ENTRIES} earlier values`, async () => {
    const id = await newHeader('X-Many');
    await actAs(admin);
    for (let v = 1; v <= MAX_HISTORY_ENTRIES + 2; v++) {
      unwrap(await updateHeaderAction({ copilotId, headerId: id, expectedVersion: v, kind: 'api_key', name: 'X-Many', value: `many-value-${v}-xxxxxxxx`, allowWidgetOverride: false }));
    }
    const kept = await (await getDb()).select({ version: headerVersions.version }).from(headerVersions).where(eq(headerVersions.headerId, id));
    expect(kept.map((k) => k.version).sort((a, b) => a - b)).toEqual(Array.from({ length: MAX_HISTORY_ENTRIES }, (_, i) => i + 3));
  });

  it('values older than HEADER_HISTORY_DAYS are neither listed nor restorable, and are deleted on the next change', async () => {
    const id = await newHeader('X-Expired');
    await actAs(admin);
    unwrap(await updateHeaderAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', name: 'X-Expired', value: V2, allowWidgetOverride: false }));
    const db = await getDb();
    await db.update(headerVersions).set({ retiredAt: new Date(Date.now() - 8 * 24 * 3600 * 1000) }).where(eq(headerVersions.headerId, id));
    vi.stubEnv('HEADER_HISTORY_DAYS', '7');
    try {
      expect(await listHeaderHistory(db, { copilotId, headerId: id })).toEqual([]);
      expect(await rollbackHeaderValueAction({ copilotId, headerId: id, expectedVersion: 2, toVersion: 1 })).toMatchObject({ ok: false });
      unwrap(await updateHeaderAction({ copilotId, headerId: id, expectedVersion: 2, kind: 'api_key', name: 'X-Expired', value: V3, allowWidgetOverride: false }));
      const kept = await db.select({ version: headerVersions.version }).from(headerVersions).where(eq(headerVersions.headerId, id));
      expect(kept.map((k) => k.version)).toEqual([2]);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('moving a header to a new destination drops its earlier and pending values (they were meant for the old one)', async () => {
    const id = await newHeader('X-Moves');
    await actAs(owner, { recentlyAuthenticated: true });
    unwrap(await updateHeaderAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', name: 'X-Moves', value: V2, allowWidgetOverride: false }));
    unwrap(await stageHeaderValueAction({ copilotId, headerId: id, expectedVersion: 2, kind: 'api_key', value: V3 }));
    unwrap(await updateHeaderAction({ copilotId, headerId: id, expectedVersion: 3, kind: 'api_key', name: 'X-Moved', value: 'moved-value-12345678', allowWidgetOverride: false }));
    expect(await listHeaderHistory(await getDb(), { copilotId, headerId: id })).toEqual([]);
    expect((await row(id)).pendingCiphertext).toBeNull();
  });
});

describe('staged rotation', () => {
  it('stage keeps the current value in use; a test request can send the pending one; promote swaps them and tells runtimes', async () => {
    const id = await newHeader('X-Staged');
    await actAs(admin);
    const staged = unwrap(await stageHeaderValueAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', value: V2 }));
    expect(await currentValue(id)).toBe(V1);
    const listed = (await listHeaders(await getDb(), { copilotId })).find((h) => h.id === id)!;
    expect(listed.pendingPreview).toBe('••••••••2222');
    expect(listed.pendingAt).toBeInstanceOf(Date);

    const withCurrent = unwrap(await testRequestAction({ copilotId, method: 'GET', path: '/check' }));
    expect(withCurrent).toMatchObject({ outcome: 'response', status: 401, pendingValueSent: false });
    const seen = upstream.requests.length;
    const withPending = unwrap(await testRequestAction({ copilotId, method: 'GET', path: '/check', pendingHeaderId: id }));
    expect(withPending).toMatchObject({ outcome: 'response', status: 200, pendingValueSent: true });
    expect(upstream.requests[seen]?.headers['x-staged']).toBe(V2);
    const afterTest = await row(id);
    expect(afterTest.pendingTestStatus).toBe(200);
    // the 401 was the current value's; the pending value's 200 doesn't touch its count
    expect(afterTest.authFailuresSinceRotation).toBe(1);

    const generationBefore = await generation();
    const promoted = unwrap(await promoteHeaderValueAction({ copilotId, headerId: id, expectedVersion: staged.version }));
    expect(await currentValue(id)).toBe(V2);
    expect(await generation()).toBeGreaterThan(generationBefore);
    const after = await row(id);
    expect(after).toMatchObject({ version: promoted.version, pendingCiphertext: null, pendingPreview: null, authFailuresSinceRotation: 0, rotatedBy: admin.id });
    expect((await listHeaderHistory(await getDb(), { copilotId, headerId: id })).map((h) => h.version)).toEqual([staged.version]);
    unwrap(await rollbackHeaderValueAction({ copilotId, headerId: id, expectedVersion: promoted.version, toVersion: staged.version }));
    expect(await currentValue(id)).toBe(V1);
    expect(await actions('X-Staged')).toEqual(expect.arrayContaining(['header.rotation_stage', 'header.rotation_promote', 'header.rollback']));
    const tests = await (await getDb()).select().from(auditEvents).where(and(eq(auditEvents.copilotId, copilotId), eq(auditEvents.action, 'header.test_request')));
    expect(tests.map((t) => t.metadata.pendingValueOf ?? null)).toContain('X-Staged');
    expect(await dumpAllTables()).not.toContain(V2);
  });

  it('[ROTATION] (fixed: a value that was never tested, or whose test failed, was promoted without a word): promote then needs `anyway`, and the audit says so', async () => {
    const id = await newHeader('X-Untested');
    await actAs(admin);
    const staged = unwrap(await stageHeaderValueAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', value: V3 }));
    const untested = await promoteHeaderValueAction({ copilotId, headerId: id, expectedVersion: staged.version });
    expect(untested).toMatchObject({ ok: false, code: 'confirm_anyway', message: expect.stringContaining('has not been tested') });
    // The API refuses V3 (only V2 passes /check): a failed test is no better.
    expect(unwrap(await testRequestAction({ copilotId, method: 'GET', path: '/check', pendingHeaderId: id }))).toMatchObject({ status: 401, pendingValueSent: true });
    const failed = await promoteHeaderValueAction({ copilotId, headerId: id, expectedVersion: staged.version });
    expect(failed).toMatchObject({ ok: false, code: 'confirm_anyway', message: expect.stringContaining('answered 401') });
    expect(await currentValue(id)).toBe(V1);
    expect(await row(id)).toMatchObject({ version: staged.version, pendingPreview: '••••••••3333' });
    expect(await promoteHeaderValueAction({ copilotId, headerId: id, expectedVersion: staged.version, anyway: 'yes' as unknown as boolean })).toMatchObject({ ok: false, fieldErrors: { anyway: expect.any(Array) } });

    unwrap(await promoteHeaderValueAction({ copilotId, headerId: id, expectedVersion: staged.version, anyway: true }));
    expect(await currentValue(id)).toBe(V3);
    const [event] = await (await getDb()).select().from(auditEvents).where(and(eq(auditEvents.copilotId, copilotId), eq(auditEvents.action, 'header.rotation_promote'), eq(auditEvents.target, 'X-Untested')));
    expect(event!.metadata).toMatchObject({ withoutPassingTest: true, pendingTestStatus: 401 });
    expect(describeAuditEvent(event!).sentence).toContain('without a passing test (last test answered 401)');
  });

  it('cancel destroys the pending value and nothing else; stage does not tell runtimes', async () => {
    const id = await newHeader('X-Cancel');
    await actAs(admin);
    const generationBefore = await generation();
    const staged = unwrap(await stageHeaderValueAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', value: V2 }));
    expect(await generation()).toBe(generationBefore);
    unwrap(await cancelPendingValueAction({ copilotId, headerId: id, expectedVersion: staged.version }));
    const after = await row(id);
    expect(after.pendingCiphertext).toBeNull();
    expect(await currentValue(id)).toBe(V1);
    expect(await listHeaderHistory(await getDb(), { copilotId, headerId: id })).toEqual([]);
    expect(await actions('X-Cancel')).toContain('header.rotation_cancel');
  });

  it('[no-lost-updates]: two admins rotating at once — one wins, the other gets a clear message and changes nothing', async () => {
    const id = await newHeader('X-Race');
    await actAs(admin);
    const first = stageHeaderValueAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', value: V2 });
    await actAs(rival);
    const second = stageHeaderValueAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', value: V3 });
    const results = await Promise.all([first, second]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, message: expect.stringContaining('Someone else changed this header') });
    const winner = await row(id);
    expect(winner.version).toBe(2);
    // A second stage on top of a pending one is refused by name, even with the right version.
    await actAs(rival);
    const before = await snapshotDatabase();
    expect(await stageHeaderValueAction({ copilotId, headerId: id, expectedVersion: 2, kind: 'api_key', value: 'third-value-zzzzzzzz' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/already pending \(staged by rotation-(admin|rival)@example\.test\)/),
    });
    // promoting what you did not see is refused too
    expect(await promoteHeaderValueAction({ copilotId, headerId: id, expectedVersion: 1 })).toMatchObject({ ok: false });
    expect(await snapshotDatabase()).toBe(before);
  });

  it('[bad-input-changes-nothing]: a bad pending value gets a field error; staging the current value is refused; nothing changes', async () => {
    const id = await newHeader('X-Bad-Stage');
    await actAs(admin);
    const before = await snapshotDatabase({ except: ['rate_limits'] });
    expect(await stageHeaderValueAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', value: 'a\r\nX-Evil: 1' })).toMatchObject({
      ok: false,
      fieldErrors: { value: [expect.stringContaining('line breaks')] },
    });
    expect(await stageHeaderValueAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', value: V1 })).toMatchObject({ ok: false, fieldErrors: { value: [expect.any(String)] } });
    expect(await stageHeaderValueAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'bearer', token: 'tok_abcdefghijkl' })).toMatchObject({ ok: false });
    expect(await promoteHeaderValueAction({ copilotId, headerId: id, expectedVersion: 1 })).toMatchObject({ ok: false, message: expect.stringContaining('no pending value') });
    expect(await testRequestAction({ copilotId, method: 'GET', path: '/check', pendingHeaderId: id })).toMatchObject({ ok: false, fieldErrors: { pendingHeaderId: ['No pending value'] } });
    expect(await snapshotDatabase({ except: ['rate_limits'] })).toBe(before);
  });
});

describe('health and reminders', () => {
  it('a 401 counts only against the headers sent on that call, not a header scoped elsewhere', async () => {
    const sent = await newHeader('X-API-Key', 'health-wrong-key-00000000');
    const scoped = await newHeader('X-Other-Scope', 'health-scoped-1234567', { scopePathPrefix: '/api/elsewhere' });
    await actAs(admin);
    unwrap(await testRequestAction({ copilotId, method: 'GET', path: '/check' }));
    expect((await row(sent)).authFailuresSinceRotation).toBeGreaterThan(0);
    expect((await row(scoped)).authFailuresSinceRotation).toBe(0);
    expect((await row(scoped)).lastUsedAt).toBeNull();
  });

  it('[refusals-attributed-on-evidence] (fixed: a 401 caused by a missing or refused per-user User-Token was counted against the dashboard\'s X-API-Key): with per-user headers on the call, a refusal marks no dashboard header', async () => {
    const key = await newHeader('X-Evidence-Key', 'evidence-dashboard-key-1234');
    await actAs(admin);
    const withUser = unwrap(await testRequestAction({ copilotId, method: 'GET', path: '/check', widgetHeaders: [{ name: 'User-Token', value: 'expired-user-token-0000' }] }));
    expect(withUser).toMatchObject({ outcome: 'response', status: 401, headerReport: { widget: [{ name: 'User-Token', status: 'sent' }] } });
    expect(await row(key)).toMatchObject({ authFailuresSinceRotation: 0, lastUsedAt: expect.any(Date) });
    // The dashboard's header alone on the call: the evidence points at it.
    unwrap(await testRequestAction({ copilotId, method: 'GET', path: '/check' }));
    expect((await row(key)).authFailuresSinceRotation).toBe(1);
  });

  it('after a redirect, a 401 counts only against the headers on the request it answered, not one sent on an earlier hop', async () => {
    const firstHopOnly = await newHeader('X-First-Hop', 'first-hop-value-12345678', { scopePathPrefix: '/api/hop' });
    const everyHop = await newHeader('X-Every-Hop', 'every-hop-value-12345678');
    await actAs(admin);
    const outcome = unwrap(await testRequestAction({ copilotId, method: 'GET', path: '/hop' }));
    expect(outcome).toMatchObject({ outcome: 'response', status: 401 });
    const [first, every] = [await row(firstHopOnly), await row(everyHop)];
    expect(first.lastUsedAt).toBeInstanceOf(Date);
    expect(first.authFailuresSinceRotation).toBe(0);
    expect(every.authFailuresSinceRotation).toBe(1);
  });

  it('a rotation reminder makes a header overdue; the home list shows overdue and refused credentials of visible copilots only', async () => {
    const id = await newHeader('X-Overdue');
    await actAs(admin);
    unwrap(await setRotationReminderAction({ copilotId, headerId: id, expectedVersion: 1, rotationDays: 30 }));
    const db = await getDb();
    let attention = await listCredentialAttention(db, { userId: admin.id, instanceAdmin: false });
    expect(attention.find((a) => a.headerId === id)).toBeUndefined();
    await db.update(globalHeaders).set({ rotatedAt: new Date(Date.now() - 31 * 24 * 3600 * 1000) }).where(eq(globalHeaders.id, id));
    attention = await listCredentialAttention(db, { userId: admin.id, instanceAdmin: false });
    const item = attention.find((a) => a.headerId === id)!;
    expect(Object.keys(item).sort()).toEqual(['authFailuresSinceRotation', 'copilotId', 'copilotName', 'headerId', 'kind', 'name', 'overdueSince', 'preview', 'rotatedAt', 'rotationDays']);
    expect(item.overdueSince).toBeInstanceOf(Date);
    expect(item.overdueSince!.getTime()).toBeLessThan(Date.now());
    expect(attention.some((a) => a.authFailuresSinceRotation > 0 && a.overdueSince === null)).toBe(true);
    const stranger = await createUser();
    expect(await listCredentialAttention(db, { userId: stranger.id, instanceAdmin: false })).toEqual([]);
    expect(await actions('X-Overdue')).toContain('header.rotation_reminder');
    const before = await snapshotDatabase();
    expect(await setRotationReminderAction({ copilotId, headerId: id, expectedVersion: 2, rotationDays: 0 })).toMatchObject({ ok: false, fieldErrors: { rotationDays: [expect.any(String)] } });
    expect(await snapshotDatabase()).toBe(before);
    unwrap(await setRotationReminderAction({ copilotId, headerId: id, expectedVersion: 2, rotationDays: null }));
    expect((await listCredentialAttention(db, { userId: admin.id, instanceAdmin: false })).find((a) => a.headerId === id)).toBeUndefined();
  });
});

describe('verify by paste', () => {
  it('says current / pending / previous / none by fingerprint, audits the result and never the candidate', async () => {
    const id = await newHeader('X-Verify');
    await actAs(admin);
    unwrap(await updateHeaderAction({ copilotId, headerId: id, expectedVersion: 1, kind: 'api_key', name: 'X-Verify', value: V2, allowWidgetOverride: false }));
    unwrap(await stageHeaderValueAction({ copilotId, headerId: id, expectedVersion: 2, kind: 'api_key', value: V3 }));
    await actAs(rival);
    expect(unwrap(await verifyHeaderValueAction({ copilotId, headerId: id, candidate: `${V2}\n` }))).toEqual({ match: 'current' });
    expect(unwrap(await verifyHeaderValueAction({ copilotId, headerId: id, candidate: V3 }))).toEqual({ match: 'pending' });
    expect(unwrap(await verifyHeaderValueAction({ copilotId, headerId: id, candidate: V1 }))).toMatchObject({ match: 'previous', version: 1 });
    const guess = 'not-any-of-them-9999';
    expect(unwrap(await verifyHeaderValueAction({ copilotId, headerId: id, candidate: guess }))).toEqual({ match: 'none' });
    const events = await (await getDb()).select().from(auditEvents).where(and(eq(auditEvents.copilotId, copilotId), eq(auditEvents.action, 'header.verify_value')));
    expect(events.map((e) => e.metadata.result)).toEqual(['current', 'pending', 'previous', 'none']);
    const everything = await dumpAllTables();
    expect(everything).not.toContain(guess);
    expect(everything).not.toContain(V3);
  });

  it('a bearer token or basic user:password is recognised in the form an admin holds it', async () => {
    await actAs(admin);
    const bearer = await newHeader('X-Bearer-Verify', undefined, { kind: 'bearer', value: undefined, token: 'tok_verify_abcdefgh1234' });
    const basic = await newHeader('X-Basic-Verify', undefined, { kind: 'basic', value: undefined, username: 'svc', password: 'pw-verify-5678' });
    await actAs(owner);
    expect(unwrap(await verifyHeaderValueAction({ copilotId, headerId: bearer, candidate: 'tok_verify_abcdefgh1234' }))).toEqual({ match: 'current' });
    expect(unwrap(await verifyHeaderValueAction({ copilotId, headerId: bearer, candidate: 'Bearer tok_verify_abcdefgh1234' }))).toEqual({ match: 'current' });
    expect(unwrap(await verifyHeaderValueAction({ copilotId, headerId: basic, candidate: 'svc:pw-verify-5678' }))).toEqual({ match: 'current' });
    expect(unwrap(await verifyHeaderValueAction({ copilotId, headerId: basic, candidate: 'svc:wrong' }))).toEqual({ match: 'none' });
  });

  it(`is rate-limited to ${VERIFY_ATTEMPTS_PER_MINUTE} checks per minute per admin and copilot`, async () => {
    const id = await newHeader('X-Verify-Limit');
    const limited = await createUser();
    await addMembership(copilotId, limited, 'admin');
    await actAs(limited);
    for (let i = 0; i < VERIFY_ATTEMPTS_PER_MINUTE; i++) expect((await verifyHeaderValueAction({ copilotId, headerId: id, candidate: `guess-${i}` })).ok).toBe(true);
    expect(await verifyHeaderValueAction({ copilotId, headerId: id, candidate: V1 })).toMatchObject({ ok: false, message: expect.stringContaining('per minute') });
  });

  it('values stored before fingerprints existed, or under an earlier FINGERPRINT_KEY, are still recognised', async () => {
    const id = await newHeader('X-Legacy');
    await (await getDb()).update(globalHeaders).set({ valueFingerprint: null }).where(eq(globalHeaders.id, id));
    await actAs(rival);
    expect(unwrap(await verifyHeaderValueAction({ copilotId, headerId: id, candidate: V1 }))).toEqual({ match: 'current' });
    const rekeyed = await newHeader('X-Rekeyed');
    vi.stubEnv('FINGERPRINT_KEY', Buffer.alloc(32, 3).toString('base64'));
    try {
      await actAs(rival);
      expect(unwrap(await verifyHeaderValueAction({ copilotId, headerId: rekeyed, candidate: V1 }))).toEqual({ match: 'current' });
      expect(unwrap(await verifyHeaderValueAction({ copilotId, headerId: rekeyed, candidate: V2 }))).toEqual({ match: 'none' });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
