import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents } from '@/db/schema';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { GET as exportCsv } from '@/app/(app)/copilots/[copilotId]/audit/export/route';
import { setMemberRoleAction } from '@/lib/copilots/member-actions';
import { listAuditPageAction } from './actions';
import { csvCell } from './csv';
import { pruneAuditEvents, parseRetention } from './prune';
import { listAuditPage } from './queries';
import { AUDIT_ACTIONS } from './action-names';
import { describeAuditEvent, displayIp } from './sentences';

let owner: TestUser;
let viewer: TestUser;
let copilotId: string;
const T0 = Date.parse('2026-03-10T12:00:00Z');

/** Inserts events directly (as recordAudit would), with chosen times; several share one timestamp. */
async function seed(n: number) {
  const db = await getDb();
  const rows = Array.from({ length: n }, (_, i) => ({
    copilotId,
    actorEmail: i % 3 === 0 ? 'ana@example.test' : 'bob@example.test',
    action: i % 2 === 0 ? 'header.update' : 'server_key.create',
    target: i % 2 === 0 ? `X-Key-${i}` : `key-${i}`,
    metadata: { valueReplaced: true, version: i },
    ip: '::ffff:198.51.100.4',
    // Pairs of events in the same microsecond: the cursor must tell them apart by id.
    at: new Date(T0 + Math.floor(i / 2) * 3600_000),
  }));
  await db.insert(auditEvents).values(rows);
}

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    // drizzle wraps the driver's error; the trigger's message is in the cause.
    const e = error as { message: string; cause?: { message?: string } };
    return `${e.message} ${e.cause?.message ?? ''}`;
  }
  return 'not refused';
}

beforeAll(async () => {
  owner = await createUser({ email: 'audit-owner@example.test' });
  viewer = await createUser({ email: 'audit-viewer@example.test' });
  copilotId = (await createCopilot(owner)).id;
  await addMembership(copilotId, viewer, 'viewer');
  await seed(130);
});

describe('audit explorer: keyset pagination and filters', () => {
  it('pages newest first by (at, id), every event exactly once, even when several share a timestamp', async () => {
    const db = await getDb();
    const ids: number[] = [];
    const times: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await listAuditPage(db, { copilotId, cursor, limit: 20 });
      ids.push(...page.events.map((e) => e.id));
      times.push(...page.events.map((e) => e.at));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(ids).toHaveLength(130);
    expect(new Set(ids).size).toBe(130);
    expect([...times].sort().reverse()).toEqual(times);
    expect(ids.slice(0, 2)[0]).toBeGreaterThan(ids[1]!); // same time: higher id first
  });

  it('filters by action group, exact action, actor, target and UTC date range', async () => {
    const db = await getDb();
    const all = async (filter: Parameters<typeof listAuditPage>[1]['filter']) => (await listAuditPage(db, { copilotId, filter, limit: 500 })).events;
    const none = { action: null, actor: null, target: null, from: null, to: null };
    expect((await all({ ...none, action: 'server_key' })).every((e) => e.action === 'server_key.create')).toBe(true);
    expect(await all({ ...none, action: 'header.update' })).toHaveLength(65);
    expect((await all({ ...none, actor: 'ANA@' })).every((e) => e.actorEmail === 'ana@example.test')).toBe(true);
    expect((await all({ ...none, target: 'x-key-12' })).map((e) => e.target)).toEqual(['X-Key-128', 'X-Key-126', 'X-Key-124', 'X-Key-122', 'X-Key-120', 'X-Key-12']);
    // 2026-03-10 from 12:00 = hours 0..11 → events 0..23.
    expect(await all({ ...none, from: '2026-03-10', to: '2026-03-10' })).toHaveLength(24);
    // % and _ are literal, not wildcards.
    expect(await all({ ...none, target: '%' })).toHaveLength(0);
  });

  it('shows sentences, not raw metadata, and IPv4-mapped addresses as IPv4', async () => {
    const [first] = (await listAuditPage(await getDb(), { copilotId, limit: 1 })).events;
    expect(Object.keys(first!).sort()).toEqual(['action', 'actorEmail', 'at', 'details', 'id', 'ip', 'sentence', 'target']);
    expect(first!.ip).toBe('198.51.100.4');
    expect(displayIp('2001:db8::1')).toBe('2001:db8::1');
  });

  it("[actions-guard-themselves]: the explorer's action refuses a stranger and lets a viewer read", async () => {
    await actAs(await createUser());
    await expect(listAuditPageAction({ copilotId })).rejects.toMatchObject({ name: 'AuthError' });
    await actAs(viewer);
    const result = await listAuditPageAction({ copilotId, action: 'header', cursor: undefined });
    expect(result.ok && result.data.events.length).toBe(50);
    expect(await listAuditPageAction({ copilotId, from: '2026-13-01' })).toMatchObject({ ok: false, fieldErrors: { from: [expect.any(String)] } });
    expect(await listAuditPageAction({ copilotId, cursor: "1' or 1=1" })).toMatchObject({ ok: false, fieldErrors: { cursor: ['Invalid cursor'] } });
  });
});

describe('audit sentences', () => {
  it('a role change names the member by email and says old → new', async () => {
    const member = await createUser({ email: 'role-change@example.test' });
    await addMembership(copilotId, member, 'viewer');
    await actAs(owner);
    expect(await setMemberRoleAction({ copilotId, userId: member.id, role: 'admin' })).toMatchObject({ ok: true });
    const { events } = await listAuditPage(await getDb(), { copilotId, filter: { action: 'member.role_change', actor: null, target: null, from: null, to: null } });
    expect(events[0]!.sentence).toBe("audit-owner@example.test changed role-change@example.test's role from viewer to admin");
  });

  it('settings changes list old → new; unknown actions fall back to the raw facts', () => {
    const settings = describeAuditEvent({ action: 'instance.settings_update', actorEmail: 'a@x.test', target: null, ip: null, metadata: { copilotCreatorsBefore: 'instance_admins', copilotCreatorsAfter: 'everyone' } });
    expect(settings).toEqual({ sentence: 'a@x.test changed the instance settings', details: ['who may create copilots: instance admins only → every signed-in user'] });
    const urls = describeAuditEvent({ action: 'copilot.api_base_urls_update', actorEmail: null, target: null, ip: null, metadata: { apiBaseUrlsBefore: ['https://a.test'], apiBaseUrlsAfter: ['https://a.test', 'https://b.test'] } });
    expect(urls.details).toEqual(['API base URLs: https://a.test → https://a.test, https://b.test']);
    expect(describeAuditEvent({ action: 'future.thing', actorEmail: null, target: 't', ip: null, metadata: { n: 1 } })).toEqual({ sentence: 'The system did future.thing on t', details: ['n: 1'] });
  });

  it('every action the log records reads as a sentence (rotation, widget token and master-key events included)', () => {
    for (const action of AUDIT_ACTIONS) {
      const { sentence } = describeAuditEvent({ action, actorEmail: 'a@x.test', target: 'X-API-Key', ip: null, metadata: {} });
      expect(sentence, action).not.toContain(' did ');
    }
    const at = (action: string, metadata: Record<string, string | number | null>) => describeAuditEvent({ action, actorEmail: 'a@x.test', target: 'X-API-Key', ip: null, metadata }).sentence;
    expect(at('header.rollback', { restoredVersion: 2 })).toBe('a@x.test rolled the header X-API-Key back to its value of version 2');
    // Since values are numbered apart from row writes, the sentence names the value's number (what History shows).
    expect(at('header.rollback', { restoredVersion: 5, restoredValueNumber: 2 })).toBe('a@x.test rolled the header X-API-Key back to its value of version 2');
    expect(at('header.verify_value', { result: 'previous' })).toBe('a@x.test checked a pasted value against the header X-API-Key: matches the previous value');
    expect(at('header.verify_value', { result: 'none' })).toBe('a@x.test checked a pasted value against the header X-API-Key: no match');
    expect(at('copilot.token_rotate', { grace: '24h' })).toBe('a@x.test regenerated the widget token (the old one keeps working for 24 hours)');
    expect(at('copilot.identity_secret_rotate', { rotated: 'no' })).toBe('a@x.test created the identity secret');
    expect(describeAuditEvent({ action: 'copilot.identity_secret_rotate', actorEmail: 'a@x.test', target: null, ip: null, metadata: { rotated: true, overlap: '24h' } }).sentence).toBe(
      'a@x.test rotated the identity secret (the old one keeps working for 24 hours)',
    );
    expect(at('copilot.identity_keys_update', { jwksUrl: 'https://shop.example/jwks.json', issuer: null })).toBe('a@x.test set the identity JWKS URL to https://shop.example/jwks.json and the issuer to any');
    expect(at('copilot.token_rotate', { grace: 'none' })).toBe('a@x.test regenerated the widget token (the old one stopped working)');
    expect(describeAuditEvent({ action: 'keys.retire', actorEmail: null, target: null, ip: null, metadata: { version: 1 } }).sentence).toBe('The system retired master key version 1');
  });
});

describe('audit CSV export', () => {
  it('escapes cells a spreadsheet would run as a formula (CSV injection)', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    for (const lead of ['+', '-', '@', '\t']) expect(csvCell(`${lead}1`)).toBe(`"'${lead}1"`);
    expect(csvCell('X-API-Key')).toBe('"X-API-Key"');
    expect(csvCell(null)).toBe('""');
  });

  it('[actions-guard-themselves]: the export route authenticates and authorizes itself, then streams the filtered set', async () => {
    const url = `http://localhost/copilots/${copilotId}/audit/export?action=server_key&actor=bob`;
    const call = () => exportCsv(new Request(url), { params: Promise.resolve({ copilotId }) });
    await actAs(null);
    expect((await call()).status).toBe(401);
    await actAs(await createUser());
    expect((await call()).status).toBe(404);
    await actAs(viewer);
    const response = await call();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, so spreadsheets read UTF-8
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
    expect(lines[0]).toBe('"time_utc","actor","action","target","event","details","ip"');
    const expected = (await listAuditPage(await getDb(), { copilotId, filter: { action: 'server_key', actor: 'bob', target: null, from: null, to: null }, limit: 1000 })).events;
    expect(lines).toHaveLength(expected.length + 1);
    expect(lines[1]).toContain('"bob@example.test","server_key.create"');
    expect(lines[1]).toContain('"198.51.100.4"');
    const bad = await exportCsv(new Request(`${url}&from=yesterday`), { params: Promise.resolve({ copilotId }) });
    expect(bad.status).toBe(400);
  });
});

describe('audit log is append-only at the database level', () => {
  it('the trigger refuses UPDATE, DELETE and TRUNCATE of audit events', async () => {
    const db = await getDb();
    const [row] = await db.select({ id: auditEvents.id }).from(auditEvents).limit(1);
    expect(await refusal(db.update(auditEvents).set({ target: 'forged' }).where(eq(auditEvents.id, row!.id)))).toMatch(/append-only: UPDATE refused/);
    expect(await refusal(db.delete(auditEvents).where(eq(auditEvents.id, row!.id)))).toMatch(/append-only: DELETE refused/);
    expect(await refusal(db.execute(sql`truncate audit_events`))).toMatch(/append-only: TRUNCATE refused/);
    const [after] = await db.select({ target: auditEvents.target }).from(auditEvents).where(eq(auditEvents.id, row!.id));
    expect(after!.target).not.toBe('forged');
  });

  it('the retention job deletes only events older than its cutoff, and the permission ends with its transaction', async () => {
    const db = await getDb();
    const count = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(eq(auditEvents.copilotId, copilotId)))[0]!.n;
    const before = await count();
    // Cutoff 2026-03-11T00:00Z: events 0..23 (2026-03-10 12:00 … 23:00) are older.
    const deleted = await pruneAuditEvents(db, { before: new Date('2026-03-11T00:00:00Z'), batchSize: 10 });
    expect(deleted).toBe(24);
    expect(await count()).toBe(before - 24);
    // A cutoff declared in a transaction does not cover newer rows.
    const refused = await refusal(
      db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('copilot_headers.audit_prune_before', '2026-03-12T00:00:00Z', true)`);
        await tx.delete(auditEvents).where(eq(auditEvents.copilotId, copilotId));
      }),
    );
    expect(refused).toMatch(/append-only: DELETE refused/);
    expect(await refusal(db.delete(auditEvents).where(eq(auditEvents.copilotId, copilotId)))).toMatch(/append-only/);
    expect(await count()).toBe(before - 24);
  });

  it('reads retention periods in days and weeks', () => {
    expect(parseRetention('365d')).toBe(365 * 86_400_000);
    expect(parseRetention('2w')).toBe(14 * 86_400_000);
    expect(parseRetention('0d')).toBeNull();
    expect(parseRetention('1y')).toBeNull();
  });
});
