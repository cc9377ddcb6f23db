import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents } from '@/db/schema';
import { actAs, createCopilot, createUser, type TestUser } from '@/test/factories';
import { GET as exportCsv } from '@/app/(app)/copilots/[copilotId]/audit/export/route';
import { createHeaderAction, deleteHeaderAction, updateHeaderAction } from '@/lib/headers/actions';
import { createBulkHeadersAction } from '@/lib/headers/bulk-actions';
import { listAuditPageAction } from './actions';

const VALUES = {
  apiKey: 'sk_live_AUDITLEAK_api_key_value_1',
  replaced: 'sk_live_AUDITLEAK_replacement_2',
  token: 'AUDITLEAK.bearer.token.value.3',
  password: 'AUDITLEAK-basic-password-4',
  bulk: 'sk_live_AUDITLEAK_bulk_value_5',
};
const basicEncoded = btoa(`svc:${VALUES.password}`);
let admin: TestUser;
let copilotId: string;

beforeAll(async () => {
  admin = await createUser({ email: 'no-values@example.test' });
  copilotId = (await createCopilot(admin)).id;
  await actAs(admin, { recentlyAuthenticated: true });
  const common = { copilotId, allowWidgetOverride: false, scopeHost: '', scopePathPrefix: '' };
  const created = await createHeaderAction({ ...common, kind: 'api_key', name: 'X-API-Key', value: VALUES.apiKey });
  if (!created.ok) throw new Error(created.message);
  expect(await updateHeaderAction({ ...common, kind: 'api_key', name: 'X-API-Key', value: VALUES.replaced, headerId: created.data.id, expectedVersion: 1 })).toMatchObject({ ok: true });
  expect(await createHeaderAction({ ...common, kind: 'bearer', name: 'Authorization', token: VALUES.token })).toMatchObject({ ok: true });
  expect(await createHeaderAction({ ...common, kind: 'basic', name: 'X-Basic', username: 'svc', password: VALUES.password })).toMatchObject({ ok: true });
  expect(await createBulkHeadersAction({ copilotId, text: `X-Bulk-Key=${VALUES.bulk}\nX-Bulk-Bearer=Bearer ${VALUES.token}` })).toMatchObject({ ok: true });
  expect(await deleteHeaderAction({ copilotId, headerId: created.data.id, expectedVersion: 2 })).toMatchObject({ ok: true });
});

function expectNoValue(text: string) {
  expect(text).toContain('X-API-Key'); // the text is really about these events
  for (const value of [...Object.values(VALUES), basicEncoded]) {
    expect(text).not.toContain(value);
    expect(text).not.toContain(value.slice(0, 12));
  }
  expect(text).not.toContain('AUDITLEAK');
}

describe('[no-value-stored-or-logged]: no header value in the audit log, its explorer or its CSV export', () => {
  it('the audit_events rows hold names and flags only', async () => {
    expectNoValue(JSON.stringify(await (await getDb()).select().from(auditEvents)));
  });

  it('the explorer pages and the CSV export carry no value', async () => {
    const page = await listAuditPageAction({ copilotId });
    expect(page.ok && page.data.events.length).toBe(7);
    expectNoValue(JSON.stringify(page));
    const csv = await exportCsv(new Request(`http://localhost/copilots/${copilotId}/audit/export`), { params: Promise.resolve({ copilotId }) });
    expectNoValue(await csv.text());
  });
});
