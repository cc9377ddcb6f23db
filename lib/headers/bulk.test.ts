import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, globalHeaders } from '@/db/schema';
import { decryptSecret } from '@/core/crypto/aead';
import { actAs, createCopilot, createUser, type TestUser } from '@/test/factories';
import { snapshotDatabase } from '@/test/db-snapshot';
import { createHeaderAction } from './actions';
import { parseBulkHeaders } from './bulk';
import { createBulkHeadersAction, previewBulkHeadersAction } from './bulk-actions';

const KEY = 'sk_live_bulk_0123456789abcdef';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.bulk-token-abcdefgh';
let admin: TestUser;
let copilotId: string;

beforeAll(async () => {
  admin = await createUser();
  copilotId = (await createCopilot(admin)).id;
});

describe('bulk add: parsing', () => {
  it('reads .env lines: comments, export, quotes, Name: value, trailing comments; infers kinds', () => {
    const text = [
      '# system credentials',
      '',
      `X-API-Key=${KEY}`,
      `export Authorization="Bearer ${TOKEN}"`,
      "X-Tenant: 'acme corp'",
      'X-Region=eu-west-1 # where the data lives',
    ].join('\n');
    const { entries, problems } = parseBulkHeaders(text);
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { line: 3, name: 'X-API-Key', kind: 'api_key', value: KEY },
      { line: 4, name: 'Authorization', kind: 'bearer', value: `Bearer ${TOKEN}` },
      { line: 5, name: 'X-Tenant', kind: 'custom', value: 'acme corp' },
      { line: 6, name: 'X-Region', kind: 'custom', value: 'eu-west-1' },
    ]);
  });

  it('reads a JSON object', () => {
    const { entries, problems } = parseBulkHeaders(JSON.stringify({ 'X-API-Key': KEY, 'X-Trace': 'on' }));
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.name, e.kind])).toEqual([['X-API-Key', 'api_key'], ['X-Trace', 'custom']]);
  });

  it('reports every problem by line at once (fixed: syntax problems hid the rest until fixed), and never quotes a value or a line that may be a bare secret', () => {
    const text = [KEY, 'Bad Name=x', 'Host=example.com', 'X-Open="unterminated', `X-Dup=${KEY}`, 'x-dup=other', 'X-Trail=ends with space\t', 'Authorization=Bearer two words'].join('\n');
    const { problems, entries } = parseBulkHeaders(text);
    expect(problems.map((p) => p.line)).toEqual([1, 2, 3, 4, 6, 8]);
    expect(problems[0]!.message).toBe('Line 1: expected NAME=value (or Name: value)');
    expect(problems[3]!.message).toBe('Line 4: the value starts with " but does not end with it');
    expect(problems[4]!.message).toBe('Line 6: x-dup is already on line 5 (names are case-insensitive)');
    expect(entries.map((e) => e.name)).toEqual(['X-Dup', 'X-Trail']);
    const all = JSON.stringify(problems);
    expect(all).not.toContain(KEY);
    expect(all).not.toContain('two words');
    expect(JSON.stringify(parseBulkHeaders(`{"X-A": "${KEY}",}`).problems)).not.toContain(KEY);
  });

  it("a JSON entry's problem names its key (fixed: it said “Entry 1”), unless the key is no header name — then it may be a pasted secret and is not quoted", () => {
    const { problems } = parseBulkHeaders(JSON.stringify({ 'X-API-Key': KEY, 'X-Count': 3, [`pasted ${KEY}`]: 4, 'X-Bad': 'a\u0000b' }));
    expect(problems.map((p) => p.message)).toEqual([
      '"X-Count": the value must be a string',
      expect.stringMatching(/^Entry 3: /),
      expect.stringMatching(/^"X-Bad": /),
    ]);
    expect(JSON.stringify(problems)).not.toContain(KEY);
  });
});

describe('bulk add: actions', () => {
  it('preview returns names, kinds and masked previews only — never a value', async () => {
    await actAs(admin);
    const before = await snapshotDatabase({ except: ['user_sessions'] });
    const result = await previewBulkHeadersAction({ copilotId, text: `X-API-Key=${KEY}\nAuthorization=Bearer ${TOKEN}` });
    expect(result).toEqual({
      ok: true,
      data: {
        items: [
          { line: 1, name: 'X-API-Key', kind: 'api_key', preview: '••••••••cdef' },
          { line: 2, name: 'Authorization', kind: 'bearer', preview: `Bearer ••••••••${TOKEN.slice(-4)}` },
        ],
        problems: [],
      },
    });
    expect(JSON.stringify(result)).not.toContain(KEY.slice(0, -4));
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(before);
  });

  it('is all or nothing: one bad line (or a name the copilot already has) adds nothing', async () => {
    await actAs(admin);
    expect(await createHeaderAction({ copilotId, kind: 'custom', name: 'X-Existing', value: 'existing-value', allowWidgetOverride: false })).toMatchObject({ ok: true });
    const before = await snapshotDatabase({ except: ['user_sessions'] });
    const result = await createBulkHeadersAction({ copilotId, text: `X-New-One=${KEY}\nx-existing=${KEY}` });
    expect(result).toMatchObject({ ok: false, fieldErrors: { text: ['Line 2: this copilot already has a header named x-existing'] } });
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(before);
  });

  it('creates every header encrypted, one audit event each, without the value', async () => {
    await actAs(admin);
    const result = await createBulkHeadersAction({ copilotId, text: `X-API-Key=${KEY}\nAuthorization=Bearer ${TOKEN}` });
    expect(result).toEqual({ ok: true, data: { created: 2 } });
    const db = await getDb();
    const rows = await db.select().from(globalHeaders).where(eq(globalHeaders.copilotId, copilotId));
    const bearer = rows.find((r) => r.name === 'Authorization')!;
    expect(bearer.kind).toBe('bearer');
    expect(decryptSecret({ ciphertext: bearer.ciphertext, keyVersion: bearer.keyVersion }, { copilotId, headerId: bearer.id })).toBe(`Bearer ${TOKEN}`);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.copilotId, copilotId));
    const bulk = events.filter((e) => e.metadata.bulk === true);
    expect(bulk.map((e) => [e.action, e.target]).sort()).toEqual([['header.create', 'Authorization'], ['header.create', 'X-API-Key']]);
    expect(JSON.stringify(events)).not.toContain(KEY);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
  });
});
