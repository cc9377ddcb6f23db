import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, environments, globalHeaders, headerVersions } from '@/db/schema';
import { createHeaderAction } from '@/lib/headers/actions';
import { listHeaders } from '@/lib/headers/queries';
import { promoteHeaderValueAction } from '@/lib/headers/rotation/rotation-actions';
import { actAs, addMembership, createUser, type TestUser } from '@/test/factories';
import { chatReadyCopilot, startChatPlane, toolCallHeaders, type ChatPlane } from '@/test/fixtures/chat-plane';
import { UNTIL_LIVE } from '@/test/runtime-plane';
import { createEnvironmentAction } from './actions';
import { compareEnvironments } from './compare';
import { copyHeadersAction, previewCopyHeadersAction } from './copy-actions';

const PRODUCTION_KEY = 'prod-copy-key-Qw8Er5Ty2Ui';
const STAGING_KEY = 'staging-copy-key-Zx3Cv6Bn9Ml';
const SHARED_TOKEN = 'shared-bearer-Po1Lk4Jh7Gf';
const VALUES = [PRODUCTION_KEY, STAGING_KEY, SHARED_TOKEN, 'tenant-acme-Rt5', 'tenant-beta-Yu8', 'only-prod-Ki9', 'only-staging-Mn2'];

let plane: ChatPlane;
let owner: TestUser;

beforeAll(async () => {
  plane = await startChatPlane();
  owner = await createUser();
});

afterAll(() => plane.close());

async function copilotWithStaging() {
  const copilot = await chatReadyCopilot(plane, owner);
  await actAs(owner);
  const created = await createEnvironmentAction({ copilotId: copilot.id, name: 'Staging' });
  if (!created.ok) throw new Error(created.message);
  const [row] = await (await getDb()).select({ widgetToken: environments.widgetToken }).from(environments).where(eq(environments.id, created.data.id));
  return { copilotId: copilot.id, production: { id: copilot.environmentId, widgetToken: copilot.widgetToken }, staging: { id: created.data.id, widgetToken: row!.widgetToken } };
}

async function addHeader(copilotId: string, environmentId: string, header: Record<string, unknown>) {
  const result = await createHeaderAction({ copilotId, environmentId, allowWidgetOverride: false, ...header } as Parameters<typeof createHeaderAction>[0]);
  if (!result.ok) throw new Error(`${result.message} ${JSON.stringify(result.fieldErrors)}`);
  return result.data.id;
}

/** One chat turn through a widget token; the X-API-Key the upstream received for its tool call. */
async function apiKeySentWith(token: string) {
  return (await toolCallHeaders(plane, token))['x-api-key'];
}

/**
 * Everything a copy could change for these copilots: their environments, headers (but the runtime's last-used
 * time, which its usage recorder flushes every few seconds), earlier values and audit events.
 */
async function snapshot(...copilotIds: string[]) {
  const db = await getDb();
  const headers = await db.select().from(globalHeaders).where(inArray(globalHeaders.copilotId, copilotIds)).orderBy(asc(globalHeaders.id));
  return JSON.stringify([
    await db.select().from(environments).where(inArray(environments.copilotId, copilotIds)).orderBy(asc(environments.id)),
    headers.map((h) => ({ ...h, lastUsedAt: null })),
    await db.select().from(headerVersions).where(inArray(headerVersions.headerId, headers.map((h) => h.id).concat('00000000-0000-4000-8000-000000000000'))).orderBy(asc(headerVersions.headerId), asc(headerVersions.version)),
    await db.select().from(auditEvents).where(inArray(auditEvents.copilotId, copilotIds)).orderBy(asc(auditEvents.id)),
  ]);
}

function expectNoValue(data: unknown) {
  const text = JSON.stringify(data);
  for (const value of VALUES) expect(text).not.toContain(value.slice(0, 12));
}

async function copyAuditEvents(copilotId: string) {
  const rows = await (await getDb()).select({ action: auditEvents.action, target: auditEvents.target, metadata: auditEvents.metadata }).from(auditEvents).where(eq(auditEvents.copilotId, copilotId));
  expectNoValue(rows);
  return rows.filter((r) => r.action === 'header.copy');
}

describe('[compare-reveals-no-value]: two environments compared per header name on the server', () => {
  it('equal values compare "same" although their stored fingerprints differ; different, only-in-one, kind and destination differences; no value or fingerprint in the answer', async () => {
    const { copilotId, production, staging } = await copilotWithStaging();
    await addHeader(copilotId, production.id, { kind: 'api_key', name: 'X-API-Key', value: PRODUCTION_KEY });
    await addHeader(copilotId, staging.id, { kind: 'api_key', name: 'x-api-key', value: PRODUCTION_KEY });
    await addHeader(copilotId, production.id, { kind: 'custom', name: 'X-Tenant', value: 'tenant-acme-Rt5' });
    await addHeader(copilotId, staging.id, { kind: 'custom', name: 'X-Tenant', value: 'tenant-beta-Yu8' });
    await addHeader(copilotId, production.id, { kind: 'bearer', name: 'Authorization', token: SHARED_TOKEN });
    await addHeader(copilotId, staging.id, { kind: 'bearer', name: 'Authorization', token: SHARED_TOKEN, scopeHost: 'api.example.com' });
    await addHeader(copilotId, production.id, { kind: 'custom', name: 'X-Only-Prod', value: 'only-prod-Ki9' });
    await addHeader(copilotId, staging.id, { kind: 'api_key', name: 'X-Only-Staging', value: 'only-staging-Mn2' });
    const db = await getDb();
    const fingerprints = await db.select({ fp: globalHeaders.valueFingerprint }).from(globalHeaders).where(eq(globalHeaders.copilotId, copilotId));
    expect(new Set(fingerprints.map((f) => f.fp)).size).toBe(8);

    const rows = await compareEnvironments(db, { copilotId, fromEnvironmentId: production.id, toEnvironmentId: staging.id });
    expect(rows.map((r) => [r.name, r.status, r.kindDiffers, r.scopeDiffers])).toEqual([
      ['Authorization', 'same', false, true],
      ['X-API-Key', 'same', false, false],
      ['X-Only-Prod', 'only-from', false, false],
      ['X-Only-Staging', 'only-to', false, false],
      ['X-Tenant', 'different', false, false],
    ]);
    expect(rows[0]!.to!.scope).toBe('api.example.com');
    // The exact key sets: nothing that could hold a value or a fingerprint reaches the page.
    expect([...new Set(rows.map((r) => Object.keys(r).sort().join(',')))]).toEqual(['from,kindDiffers,name,scopeDiffers,status,to']);
    expect([...new Set(rows.flatMap((r) => [r.from, r.to]).filter(Boolean).map((s) => Object.keys(s!).sort().join(',')))]).toEqual(['kind,pending,preview,scope']);
    expectNoValue(rows);
  });
});

describe('[copy-without-overwrite]: copying a header to another environment, server-side', () => {
  it('copy → the target environment sends it at run time; compare says "same"; one audit event per header naming both environments, no value', async () => {
    const { copilotId, production, staging } = await copilotWithStaging();
    await addHeader(copilotId, production.id, { kind: 'api_key', name: 'X-API-Key', value: PRODUCTION_KEY });
    await addHeader(copilotId, production.id, { kind: 'custom', name: 'X-Tenant', value: 'tenant-acme-Rt5' });
    expect(await apiKeySentWith(staging.widgetToken)).toBeUndefined();

    const input = { copilotId, fromEnvironmentId: production.id, toEnvironmentId: staging.id, names: ['X-API-Key', 'x-tenant'] };
    const preview = await previewCopyHeadersAction(input);
    expect(preview).toEqual({ ok: true, data: { from: 'Production', to: 'Staging', items: [
      { name: 'X-API-Key', kind: 'api_key', outcome: 'create', reason: null },
      { name: 'X-Tenant', kind: 'custom', outcome: 'create', reason: null },
    ] } });
    const copied = await copyHeadersAction(input);
    expect(copied).toEqual({ ok: true, data: { created: 2, staged: 0, skipped: 0 } });
    expectNoValue(copied);
    await vi.waitFor(async () => expect(await apiKeySentWith(staging.widgetToken)).toBe(PRODUCTION_KEY), UNTIL_LIVE);
    expect(await apiKeySentWith(production.widgetToken)).toBe(PRODUCTION_KEY);

    const rows = await compareEnvironments(await getDb(), { copilotId, fromEnvironmentId: production.id, toEnvironmentId: staging.id });
    expect(rows.map((r) => [r.name, r.status])).toEqual([['X-API-Key', 'same'], ['X-Tenant', 'same']]);
    expect((await copyAuditEvents(copilotId)).map((e) => [e.target, e.metadata])).toEqual([
      ['X-API-Key', { from: 'Production', to: 'Staging', outcome: 'created', kind: 'api_key', allowWidgetOverride: false, scope: 'every API base URL' }],
      ['X-Tenant', { from: 'Production', to: 'Staging', outcome: 'created', kind: 'custom', allowWidgetOverride: false, scope: 'every API base URL' }],
    ]);
    // Copying again changes nothing: the same value is already there.
    expect(await copyHeadersAction({ ...input, existing: 'stage' })).toEqual({ ok: true, data: { created: 0, staged: 0, skipped: 2 } });
  });

  it('a name the target already has: refused with a field error naming it and nothing changed, or staged — pending until promoted there', async () => {
    const { copilotId, production, staging } = await copilotWithStaging();
    await addHeader(copilotId, production.id, { kind: 'api_key', name: 'X-API-Key', value: PRODUCTION_KEY });
    await addHeader(copilotId, production.id, { kind: 'custom', name: 'X-Only-Prod', value: 'only-prod-Ki9' });
    const stagingHeader = await addHeader(copilotId, staging.id, { kind: 'api_key', name: 'X-API-Key', value: STAGING_KEY });
    await vi.waitFor(async () => expect(await apiKeySentWith(staging.widgetToken)).toBe(STAGING_KEY), UNTIL_LIVE);
    const input = { copilotId, fromEnvironmentId: production.id, toEnvironmentId: staging.id, names: ['X-API-Key', 'X-Only-Prod'] };

    const before = await snapshot(copilotId);
    const refused = await copyHeadersAction(input);
    expect(refused).toMatchObject({ ok: false, fieldErrors: { names: [expect.stringMatching(/^X-API-Key: Staging already has X-API-Key/)] } });
    expect(await snapshot(copilotId)).toBe(before);

    const preview = await previewCopyHeadersAction({ ...input, existing: 'stage' });
    expect(preview.ok && preview.data.items.map((i) => [i.name, i.outcome])).toEqual([['X-API-Key', 'stage'], ['X-Only-Prod', 'create']]);
    expect(await copyHeadersAction({ ...input, existing: 'stage' })).toEqual({ ok: true, data: { created: 1, staged: 1, skipped: 0 } });
    const [listed] = (await listHeaders(await getDb(), { copilotId, environmentId: staging.id })).filter((h) => h.id === stagingHeader);
    expect(listed!.pendingPreview).toBe(`••••••••${PRODUCTION_KEY.slice(-4)}`);
    // Staged, not live: Staging keeps sending its own value until the pending one is promoted there.
    expect(await apiKeySentWith(staging.widgetToken)).toBe(STAGING_KEY);
    // A second stage is skipped while one is pending.
    const again = await previewCopyHeadersAction({ ...input, existing: 'stage' });
    expect(again.ok && again.data.items[0]).toMatchObject({ outcome: 'skip', reason: expect.stringContaining('already pending') });

    expect(await promoteHeaderValueAction({ copilotId, headerId: stagingHeader, expectedVersion: listed!.version, anyway: true })).toMatchObject({ ok: true });
    await vi.waitFor(async () => expect(await apiKeySentWith(staging.widgetToken)).toBe(PRODUCTION_KEY), UNTIL_LIVE);
    expect((await copyAuditEvents(copilotId)).map((e) => [e.target, e.metadata.outcome, e.metadata.from, e.metadata.to])).toEqual([
      ['X-API-Key', 'staged', 'Production', 'Staging'],
      ['X-Only-Prod', 'created', 'Production', 'Staging'],
    ]);
  });

  it('staging is skipped, with the reason, when the target header is another kind or goes to another destination', async () => {
    const { copilotId, production, staging } = await copilotWithStaging();
    await addHeader(copilotId, production.id, { kind: 'api_key', name: 'X-API-Key', value: PRODUCTION_KEY });
    await addHeader(copilotId, staging.id, { kind: 'custom', name: 'X-API-Key', value: STAGING_KEY });
    await addHeader(copilotId, production.id, { kind: 'custom', name: 'X-Tenant', value: 'tenant-acme-Rt5' });
    await addHeader(copilotId, staging.id, { kind: 'custom', name: 'X-Tenant', value: 'tenant-beta-Yu8', scopePathPrefix: '/v2' });
    const preview = await previewCopyHeadersAction({ copilotId, fromEnvironmentId: production.id, toEnvironmentId: staging.id, names: ['X-API-Key', 'X-Tenant'], existing: 'stage' });
    expect(preview.ok && preview.data.items.map((i) => [i.outcome, i.reason])).toEqual([
      ['skip', 'X-API-Key is another kind of header in Staging'],
      ['skip', 'X-Tenant goes to another destination in Staging (any host under /v2, not every API base URL)'],
    ]);
  });

  it('bad input is a field error and changes nothing: unknown environment, another copilot’s, the same on both sides, a name the source lacks, more than 100 names', async () => {
    const { copilotId, production, staging } = await copilotWithStaging();
    await addHeader(copilotId, production.id, { kind: 'api_key', name: 'X-API-Key', value: PRODUCTION_KEY });
    const other = await copilotWithStaging();
    const base = { copilotId, fromEnvironmentId: production.id, toEnvironmentId: staging.id, names: ['X-API-Key'] };
    const before = await snapshot(copilotId, other.copilotId);
    const cases: [Record<string, unknown>, string][] = [
      [{ toEnvironmentId: '00000000-0000-4000-8000-000000000000' }, 'toEnvironmentId'],
      [{ toEnvironmentId: other.staging.id }, 'toEnvironmentId'],
      [{ fromEnvironmentId: other.production.id }, 'fromEnvironmentId'],
      [{ toEnvironmentId: production.id }, 'toEnvironmentId'],
      [{ names: ['X-Missing'] }, 'names'],
      [{ names: [] }, 'names'],
      [{ names: Array.from({ length: 101 }, (_, i) => `X-H-${i}`) }, 'names'],
      [{ fromEnvironmentId: 'not-an-id' }, 'fromEnvironmentId'],
    ];
    for (const [change, field] of cases) {
      for (const action of [previewCopyHeadersAction, copyHeadersAction]) {
        const result = await action({ ...base, ...change } as Parameters<typeof copyHeadersAction>[0]);
        expect(result, `${JSON.stringify(change).slice(0, 80)} → ${field}`).toMatchObject({ ok: false, fieldErrors: { [field]: [expect.any(String)] } });
      }
    }
    expect(await snapshot(copilotId, other.copilotId)).toBe(before);
  });

  it('a viewer may compare (the page is for viewers) but not preview or copy', async () => {
    const { copilotId, production, staging } = await copilotWithStaging();
    await addHeader(copilotId, production.id, { kind: 'api_key', name: 'X-API-Key', value: PRODUCTION_KEY });
    const viewer = await createUser();
    await addMembership(copilotId, viewer, 'viewer');
    await actAs(viewer);
    const input = { copilotId, fromEnvironmentId: production.id, toEnvironmentId: staging.id, names: ['X-API-Key'] };
    await expect(previewCopyHeadersAction(input)).rejects.toThrow(/permission/);
    await expect(copyHeadersAction(input)).rejects.toThrow(/permission/);
  });
});
