import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionResult } from '@/core/action-result';
import { createFirstAdminAction } from '@/lib/auth/actions';
import { signInSchema } from '@/lib/auth/schema';
import { changePasswordAction, confirmPasswordAction } from '@/lib/auth/account-actions';
import { createCopilotAction, deleteCopilotAction, updateApiBaseUrlsAction, updateCopilotAction } from '@/lib/copilots/actions';
import { createAccountFromInvitationAction } from '@/lib/invitations/accept-actions';
import { inviteMemberAction, inviteToInstanceAction } from '@/lib/invitations/actions';
import { resetPasswordAction } from '@/lib/users/password-reset-actions';
import { createHeaderAction, updateHeaderAction } from '@/lib/headers/actions';
import { testRequestAction } from '@/lib/headers/test-request/test-request-action';
import { createServerKeyAction } from '@/lib/server-keys/actions';
import { importDocumentAction } from '@/lib/api-actions/actions';
import { saveModelAction } from '@/lib/model/actions';
import { invalidInput } from '@/core/action-result';
import { snapshotDatabase } from './db-snapshot';
import { actAs, createCopilot, createUser } from './factories';
import { startServer, type TestServer } from './fixtures/test-servers';
import { createServerKey } from './runtime-fixtures';
import { postRelay, startRuntime, type RuntimeUnderTest } from './runtime-plane';

/**
 * [text-input-checked]. The bug it guards against: a NUL byte in a copilot name or test-request path
 * reached PostgreSQL (which can't store it) and was a 500; copilot names accepted CR/LF and bidi controls.
 * Every text field of every action and route is sent each bad character and must answer with a field
 * error and change nothing.
 */
const CONTROLS = { NUL: '\u0000', ESC: '\u001b', DEL: '\u007f', 'NEL (C1)': '\u0085' };
const LINE_BREAKS = { CR: '\r', LF: '\n', CRLF: '\r\n' };
const INVISIBLE = {
  'RLO U+202E': '\u202e',
  'LRE U+202A': '\u202a',
  'RLI U+2067': '\u2067',
  'PDI U+2069': '\u2069',
  'RLM U+200F': '\u200f',
  'LRM U+200E': '\u200e',
  'ALM U+061C': '\u061c',
  'zero-width space U+200B': '\u200b',
  'zero-width joiner U+200D': '\u200d',
  'BOM U+FEFF': '\ufeff',
  'line separator U+2028': '\u2028',
};

type Kind = 'control' | 'line break' | 'invisible';
const BAD: [Kind, string, string][] = [
  ...Object.entries(CONTROLS).map(([n, c]) => ['control', n, c] as [Kind, string, string]),
  ...Object.entries(LINE_BREAKS).map(([n, c]) => ['line break', n, c] as [Kind, string, string]),
  ...Object.entries(INVISIBLE).map(([n, c]) => ['invisible', n, c] as [Kind, string, string]),
];

type Field = {
  action: string;
  field: string;
  /** Which kinds of character this field refuses (a textarea takes line breaks; only names shown to others refuse invisible formatting). */
  refuses: Kind[];
  call: (bad: (valid: string) => string) => Promise<ActionResult<unknown>>;
};

let copilotId: string;
let headerId: string;
let upstream: TestServer;
let serverKey: string;
let runtime: RuntimeUnderTest;

const ALL: Kind[] = ['control', 'line break', 'invisible'];
const TEXTAREA: Kind[] = ['control'];
const ONE_LINE: Kind[] = ['control', 'line break'];

const UNKNOWN_LINK = `chinv_${'A'.repeat(43)}`;
const header = { kind: 'api_key' as const, name: 'X-API-Key', value: 'secret-value-123', allowWidgetOverride: false };
const model = { baseUrl: 'https://models.example.com/v1', model: 'gpt-test', systemPrompt: '', maxSteps: 3, expectedVersion: 1 };

const FIELDS: Field[] = [
  { action: 'createFirstAdminAction', field: 'name', refuses: ALL, call: (bad) => createFirstAdminAction({ name: bad('Ada Admin'), email: 'ada@example.test', password: 'long enough password', confirmPassword: 'long enough password' }) },
  { action: 'createFirstAdminAction', field: 'email', refuses: ALL, call: (bad) => createFirstAdminAction({ name: 'Ada', email: bad('ada@example.test'), password: 'long enough password', confirmPassword: 'long enough password' }) },
  { action: 'createFirstAdminAction', field: 'password', refuses: ONE_LINE, call: (bad) => createFirstAdminAction({ name: 'Ada', email: 'ada@example.test', password: bad('long enough password'), confirmPassword: bad('long enough password') }) },
  { action: 'createCopilotAction', field: 'name', refuses: ALL, call: (bad) => createCopilotAction({ name: bad('Support bot'), apiBaseUrls: 'https://api.example.com', allowedOrigins: '' }) },
  { action: 'createCopilotAction', field: 'apiBaseUrls', refuses: TEXTAREA, call: (bad) => createCopilotAction({ name: 'Bot', apiBaseUrls: bad('https://api.example.com/v1'), allowedOrigins: '' }) },
  { action: 'createCopilotAction', field: 'allowedOrigins', refuses: TEXTAREA, call: (bad) => createCopilotAction({ name: 'Bot', apiBaseUrls: 'https://api.example.com', allowedOrigins: bad('https://app.example.com') }) },
  { action: 'updateCopilotAction', field: 'name', refuses: ALL, call: (bad) => updateCopilotAction({ copilotId, name: bad('Renamed'), allowedOrigins: '' }) },
  { action: 'updateCopilotAction', field: 'allowedOrigins', refuses: TEXTAREA, call: (bad) => updateCopilotAction({ copilotId, name: 'Renamed', allowedOrigins: bad('https://app.example.com') }) },
  { action: 'updateApiBaseUrlsAction', field: 'apiBaseUrls', refuses: TEXTAREA, call: (bad) => updateApiBaseUrlsAction({ copilotId, apiBaseUrls: bad(upstream.origin) }) },
  { action: 'deleteCopilotAction', field: 'confirmName', refuses: ONE_LINE, call: (bad) => deleteCopilotAction({ copilotId, confirmName: bad('Hygiene') }) },
  { action: 'inviteMemberAction', field: 'email', refuses: ALL, call: (bad) => inviteMemberAction({ copilotId, email: bad('new.member@example.test'), role: 'viewer' }) },
  { action: 'inviteToInstanceAction', field: 'email', refuses: ALL, call: (bad) => inviteToInstanceAction({ email: bad('new.person@example.test') }) },
  { action: 'createAccountFromInvitationAction', field: 'name', refuses: ALL, call: (bad) => createAccountFromInvitationAction({ token: UNKNOWN_LINK, name: bad('Nina New'), password: 'long enough password', confirmPassword: 'long enough password' }) },
  { action: 'createAccountFromInvitationAction', field: 'password', refuses: ONE_LINE, call: (bad) => createAccountFromInvitationAction({ token: UNKNOWN_LINK, name: 'Nina', password: bad('long enough password'), confirmPassword: bad('long enough password') }) },
  { action: 'resetPasswordAction', field: 'password', refuses: ONE_LINE, call: (bad) => resetPasswordAction({ token: UNKNOWN_LINK, password: bad('long enough password'), confirmPassword: bad('long enough password') }) },
  { action: 'changePasswordAction', field: 'password', refuses: ONE_LINE, call: (bad) => changePasswordAction({ currentPassword: 'whatever it is', password: bad('long enough password'), confirmPassword: bad('long enough password') }) },
  { action: 'confirmPasswordAction', field: 'password', refuses: ONE_LINE, call: (bad) => confirmPasswordAction({ password: bad('my password') }) },
  { action: 'createHeaderAction', field: 'name', refuses: ALL, call: (bad) => createHeaderAction({ copilotId, ...header, name: bad('X-Other-Key') }) },
  { action: 'createHeaderAction', field: 'value', refuses: ALL, call: (bad) => createHeaderAction({ copilotId, ...header, name: 'X-Other-Key', value: bad('secret-value-456') }) },
  { action: 'createHeaderAction', field: 'scopeHost', refuses: ALL, call: (bad) => createHeaderAction({ copilotId, ...header, name: 'X-Other-Key', scopeHost: bad('api.example.com') }) },
  { action: 'createHeaderAction', field: 'scopePathPrefix', refuses: ALL, call: (bad) => createHeaderAction({ copilotId, ...header, name: 'X-Other-Key', scopePathPrefix: bad('/v1/orders') }) },
  { action: 'createHeaderAction', field: 'token', refuses: ALL, call: (bad) => createHeaderAction({ copilotId, ...header, kind: 'bearer', name: 'X-Bearer', value: undefined, token: bad('tok-123') }) },
  { action: 'createHeaderAction', field: 'username', refuses: ALL, call: (bad) => createHeaderAction({ copilotId, ...header, kind: 'basic', name: 'X-Basic', value: undefined, username: bad('ada'), password: 'pw-123' }) },
  { action: 'updateHeaderAction', field: 'name', refuses: ALL, call: (bad) => updateHeaderAction({ copilotId, headerId, expectedVersion: 1, ...header, value: undefined, name: bad('X-API-Key') }) },
  { action: 'updateHeaderAction', field: 'scopePathPrefix', refuses: ALL, call: (bad) => updateHeaderAction({ copilotId, headerId, expectedVersion: 1, ...header, value: undefined, scopePathPrefix: bad('/v1/orders') }) },
  { action: 'createServerKeyAction', field: 'name', refuses: ALL, call: (bad) => createServerKeyAction({ copilotId, name: bad('production engine') }) },
  { action: 'testRequestAction', field: 'path', refuses: ALL, call: (bad) => testRequestAction({ copilotId, method: 'GET', path: bad('/orders/42') }) },
  { action: 'testRequestAction', field: 'body', refuses: TEXTAREA, call: (bad) => testRequestAction({ copilotId, method: 'POST', path: '/orders', body: bad('{"note":"hi"}') }) },
  { action: 'saveModelAction', field: 'baseUrl', refuses: ONE_LINE, call: (bad) => saveModelAction({ copilotId, ...model, baseUrl: bad('https://models.example.com/v1') }) },
  { action: 'saveModelAction', field: 'model', refuses: ALL, call: (bad) => saveModelAction({ copilotId, ...model, model: bad('gpt-test') }) },
  { action: 'saveModelAction', field: 'apiKey', refuses: ALL, call: (bad) => saveModelAction({ copilotId, ...model, apiKey: bad('sk-model-key-123') }) },
  { action: 'saveModelAction', field: 'systemPrompt', refuses: TEXTAREA, call: (bad) => saveModelAction({ copilotId, ...model, systemPrompt: bad('Be brief.') }) },
  {
    action: 'importDocumentAction',
    field: 'document',
    refuses: TEXTAREA,
    call: (bad) => importDocumentAction({ copilotId, document: bad('{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok"}}}}}}') }),
  },
  {
    action: 'sign-in (credentials callback schema)',
    field: 'email',
    refuses: ALL,
    call: async (bad) => {
      const parsed = signInSchema.safeParse({ email: bad('ada@example.test'), password: 'pw' });
      return parsed.success ? { ok: true, data: parsed.data } : invalidInput(parsed.error);
    },
  },
  {
    action: 'sign-in (credentials callback schema)',
    field: 'password',
    refuses: ONE_LINE,
    call: async (bad) => {
      const parsed = signInSchema.safeParse({ email: 'ada@example.test', password: bad('pw') });
      return parsed.success ? { ok: true, data: parsed.data } : invalidInput(parsed.error);
    },
  },
];

beforeAll(async () => {
  upstream = await startServer();
  const owner = await createUser({ email: 'hygiene-owner@example.test', instanceAdmin: true });
  copilotId = (await createCopilot(owner, { name: 'Hygiene', apiBaseUrls: [upstream.origin] })).id;
  await actAs(owner, { recentlyAuthenticated: true });
  const created = await createHeaderAction({ copilotId, ...header });
  if (!created.ok) throw new Error(created.message);
  headerId = created.data.id;
  serverKey = (await createServerKey(copilotId)).key;
  const endpoint = await saveModelAction({ copilotId, ...model, expectedVersion: 0 });
  if (!endpoint.ok) throw new Error(endpoint.message);
  // Usage is written only when flushed, so the snapshots below compare what the refusals did.
  runtime = await startRuntime({ usage: { flushIntervalMs: 3_600_000 } });
});

afterAll(async () => {
  await runtime.close();
  await upstream.close();
});

describe('[text-input-checked] (fixed: a NUL byte in a copilot name or test-request path was a 500; names accepted CR/LF and bidi controls): every text field answers with a field error and changes nothing', () => {
  for (const f of FIELDS) {
    it(`${f.action} › ${f.field}`, async () => {
      const before = await snapshotDatabase();
      const seen = upstream.requests.length;
      for (const [kind, label, char] of BAD.filter(([kind]) => f.refuses.includes(kind))) {
        const result = await f.call((valid) => `${valid.slice(0, 3)}${char}${valid.slice(3)}`);
        expect(result.ok, `${label} (${kind}) was accepted`).toBe(false);
        if (result.ok) continue;
        expect(result.fieldErrors?.[f.field]?.length, `${label} (${kind}): no error on ${f.field}: ${JSON.stringify(result)}`).toBeGreaterThan(0);
      }
      expect(await snapshotDatabase(), 'the database changed').toBe(before);
      expect(upstream.requests.length, 'the upstream was called').toBe(seen);
    });
  }

  it('the control-character message names the position and code point, never the input', async () => {
    const result = await createCopilotAction({ name: 'Sup\u0000port', apiBaseUrls: 'https://api.example.com', allowedOrigins: '' });
    expect(result).toMatchObject({ ok: false, fieldErrors: { name: ['Remove the control character at position 4 (U+0000)'] } });
    const bidi = await createServerKeyAction({ copilotId, name: 'prod\u202eenigne' });
    expect(bidi).toMatchObject({ ok: false, fieldErrors: { name: ['Remove the invisible formatting character at position 5 (U+202E): it can reorder or hide text'] } });
  });

  it('a password with a control character is refused without describing the character', async () => {
    const result = await createFirstAdminAction({ name: 'Ada', email: 'ada@example.test', password: 'correct\u0000horse battery', confirmPassword: 'correct\u0000horse battery' });
    expect(result).toMatchObject({ ok: false, fieldErrors: { password: ["Can't contain control characters or line breaks"] } });
  });

  it('text that is fine still goes through: Unicode names, emoji, tabs and line breaks in textareas', async () => {
    const created = await createCopilotAction({ name: 'Übersetzer 翻訳 🤖', apiBaseUrls: 'https://api.example.com/v1\r\n\thttps://api2.example.com', allowedOrigins: '' });
    expect(created).toMatchObject({ ok: true });
    expect((await createServerKeyAction({ copilotId, name: 'Ünïcode engine' })).ok).toBe(true);
  });
});

describe('[text-input-checked] runtime API: bad characters in relay request fields are a 400 with a field error', () => {
  const send = (body: unknown) => postRelay(runtime.origin, body, `Bearer ${serverKey}`);

  it('NUL, CR or LF in the URL, a header value or the method: 400 invalid_request naming the field; the upstream is not called', async () => {
    expect((await send({ request: { method: 'GET', url: '/ping' } })).status).toBe(200);
    await runtime.services.usage.flush();
    // Calls are counted against the key's rate limit, refused or not: that table is meant to change.
    const before = await snapshotDatabase({ except: ['rate_limits'] });
    const seen = upstream.requests.length;
    const cases: [unknown, string][] = [];
    for (const char of ['\u0000', '\r', '\n', '\u001b']) {
      cases.push([{ request: { method: 'GET', url: `/pi${char}ng` } }, 'request.url']);
      cases.push([{ request: { method: 'GET', url: '/ping', headers: { 'X-Trace': `a${char}b` } } }, 'request.headers.X-Trace']);
      cases.push([{ request: { method: 'GET', url: '/ping' }, widgetHeaders: { 'User-Token': `a${char}b` } }, 'widgetHeaders.User-Token']);
      cases.push([{ request: { method: `GE${char}T`, url: '/ping' } }, 'request.method']);
    }
    for (const [body, field] of cases) {
      const response = await send(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const json = (await response.json()) as { error: { code: string; fieldErrors: Record<string, string[]> } };
      expect(json.error.code).toBe('invalid_request');
      expect(Object.keys(json.error.fieldErrors), JSON.stringify(body)).toContain(field);
    }
    expect(upstream.requests.length).toBe(seen);
    expect(await snapshotDatabase({ except: ['rate_limits'] })).toBe(before);
  });
});
