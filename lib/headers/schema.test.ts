import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { isRequestHopByHop, NEVER_FORWARDED_NAMES } from '@/core/http/fields';
import {
  decodeBasicCredentials,
  MAX_VALUE_BYTES,
  headerDeleteSchema,
  headerFormSchema,
  headerNameSchema,
  headerNameWarning,
  headerUpdateSchema,
  headerValueSchema,
  isForbiddenHeaderName,
  replacementValueFor,
  storedValueFor,
  type HeaderFormInput,
  type HeaderUpdateInput,
} from './schema';

const copilotId = '0b7c6f0e-4a51-4c9e-8f11-2f6d3b1a9e01';
const headerId = '5e2d8c44-93a7-4f0b-b6c2-7a1e0d9f3c22';

const apiKey: HeaderFormInput = { copilotId, kind: 'api_key', name: 'X-API-Key', value: 'sk_live_abc123', allowWidgetOverride: false };
const custom: HeaderFormInput = { ...apiKey, kind: 'custom', name: 'X-Custom' };
const bearer: HeaderFormInput = { copilotId, kind: 'bearer', name: 'Authorization', token: 'eyJhbGciOiJIUzI1NiJ9.e30.sig', allowWidgetOverride: false };
const basic: HeaderFormInput = { copilotId, kind: 'basic', name: 'Authorization', username: 'svc-user', password: 'pa55:word', allowWidgetOverride: true };
const update: HeaderUpdateInput = { ...apiKey, headerId, expectedVersion: 3, value: '' };

type Case = [label: string, schema: z.ZodType, input: Record<string, unknown>, field: string, fragment: string];

const NOT_TOKEN = 'may only use letters, digits and';
const forbiddenCases: Case[] = [
  ['HOST', "Host is set by the connection itself and can't be configured"],
  ['Content-Length', 'Content-Length frames the request body'],
  ['TRANSFER-encoding', 'Transfer-Encoding frames the request body'],
  ['cOnNeCtIoN', 'Connection is a hop-by-hop header'],
  ['Keep-Alive', 'Keep-Alive is a hop-by-hop header'],
  ['upgrade', 'Upgrade is a hop-by-hop header'],
  ['TE', 'TE is a hop-by-hop header'],
  ['trailer', 'Trailer frames the request body'],
  ['EXPECT', 'Expect changes how the request is sent'],
  ['Forwarded', 'Forwarded describes the proxy route'],
  ['VIA', 'Via describes the proxy route'],
  ['x-real-ip', 'X-Real-IP describes the proxy route'],
  ['Http2-Settings', 'HTTP2-Settings is a hop-by-hop header'],
  ['max-forwards', 'Max-Forwards is addressed to proxies'],
  ['X-Original-URL', 'X-Original-URL overrides request routing'],
  ['x-http-method-override', 'X-HTTP-Method-Override overrides request routing'],
  ['Proxy-Authorization', 'Proxy-Authorization is addressed to proxies between hops'],
  ['proxy-connection', 'proxy-connection is addressed to proxies between hops'],
  ['X-Forwarded-For', 'X-Forwarded-For describes the proxy route'],
  ['x-forwarded-host', 'x-forwarded-host describes the proxy route'],
].map(([name, fragment]) => [`forbidden name ${name}`, headerFormSchema, { ...custom, name }, 'name', fragment] as Case);

const badInputs: Case[] = [
  // names
  ['empty name', headerFormSchema, { ...custom, name: '' }, 'name', 'Enter a header name'],
  ['whitespace-only name', headerFormSchema, { ...custom, name: '   ' }, 'name', 'Enter a header name'],
  ['name with a space', headerFormSchema, { ...custom, name: 'X API Key' }, 'name', NOT_TOKEN],
  ['name with a colon', headerFormSchema, { ...custom, name: 'X-Key:' }, 'name', '(no spaces or colons)'],
  ['pseudo-header name', headerFormSchema, { ...custom, name: ':authority' }, 'name', NOT_TOKEN],
  ['257-character name', headerFormSchema, { ...custom, name: 'a'.repeat(257) }, 'name', 'at most 256 characters'],
  ['unicode name', headerFormSchema, { ...custom, name: 'X-Clé' }, 'name', NOT_TOKEN],
  ['name with parentheses', headerFormSchema, { ...custom, name: 'X-(Key)' }, 'name', NOT_TOKEN],
  ['name with CRLF', headerFormSchema, { ...custom, name: 'X-A\r\nX-Evil' }, 'name', NOT_TOKEN],
  ...forbiddenCases,
  ['bearer under a forbidden name', headerFormSchema, { ...bearer, name: 'Proxy-Authorization' }, 'name', 'Proxy-'],
  ['basic under an invalid name', headerFormSchema, { ...basic, name: 'X Auth' }, 'name', 'may only use'],
  // values
  ['empty value', headerFormSchema, { ...apiKey, value: '' }, 'value', 'Enter a value'],
  ['missing value', headerFormSchema, { ...apiKey, value: undefined }, 'value', 'Enter a value'],
  ['value with CR', headerFormSchema, { ...apiKey, value: 'abc\rdef' }, 'value', "Values can't contain line breaks"],
  ['value with LF', headerFormSchema, { ...apiKey, value: 'abc\ndef' }, 'value', "Values can't contain line breaks"],
  ['CRLF header injection', headerFormSchema, { ...custom, value: 'a\r\nX-Evil: 1' }, 'value', "Values can't contain line breaks"],
  ['trailing newline', headerFormSchema, { ...apiKey, value: 'sk_live_abc\n' }, 'value', 'line breaks'],
  ['value with NUL', headerFormSchema, { ...apiKey, value: 'abc\0def' }, 'value', "Values can't contain NUL characters"],
  ['value with DEL 0x7f', headerFormSchema, { ...apiKey, value: 'ab\x7fc' }, 'value', 'control characters (found one at position 3)'],
  ['value with 0x01', headerFormSchema, { ...apiKey, value: '\x01abc' }, 'value', 'control characters (found one at position 1)'],
  ['value with é', headerFormSchema, { ...apiKey, value: 'café-key' }, 'value', 'non-ASCII character at position 4'],
  ['value with emoji', headerFormSchema, { ...custom, value: 'key-🔑-x' }, 'value', 'Only plain ASCII characters are allowed (non-ASCII character at position 5)'],
  ['value with NBSP', headerFormSchema, { ...apiKey, value: 'a\u00a0b' }, 'value', 'non-ASCII character at position 2'],
  ['8193-byte value', headerFormSchema, { ...apiKey, value: 'v'.repeat(8193) }, 'value', 'at most 8192 bytes'],
  ['value with a leading space', headerFormSchema, { ...apiKey, value: ' sk_live_abc' }, 'value', "can't start or end with a space or tab"],
  ['value with a trailing tab', headerFormSchema, { ...apiKey, value: 'sk_live_abc\t' }, 'value', "can't start or end with a space or tab"],
  // bearer
  ['empty bearer token', headerFormSchema, { ...bearer, token: '' }, 'token', 'Enter the token'],
  ['"Bearer" with no token after it', headerFormSchema, { ...bearer, token: 'Bearer ' }, 'token', 'Enter the token after "Bearer"'],
  ['"Bearer " and a token with a space', headerFormSchema, { ...bearer, token: 'Bearer abc def' }, 'token', "Tokens can't contain spaces or tabs"],
  ['an encoded Basic header in the username field', headerFormSchema, { copilotId, kind: 'basic', name: 'Authorization', username: 'Basic dXNlcjpwYXNz', password: 'x', allowWidgetOverride: false }, 'username', 'not a "Basic …" header value'],
  ['token with a space', headerFormSchema, { ...bearer, token: 'abc def' }, 'token', "Tokens can't contain spaces or tabs"],
  ['token with CRLF injection', headerFormSchema, { ...bearer, token: 'abc\r\nX-Evil: 1' }, 'token', "Tokens can't contain line breaks"],
  ['token with non-ASCII', headerFormSchema, { ...bearer, token: 'tökén' }, 'token', 'non-ASCII character at position 2'],
  ['token too long with its prefix', headerFormSchema, { ...bearer, token: 't'.repeat(8186) }, 'token', 'at most 8185 bytes'],
  // basic
  ['basic username with a colon', headerFormSchema, { ...basic, username: 'svc:user' }, 'username', "Usernames can't contain a colon (:)"],
  ['basic empty username', headerFormSchema, { ...basic, username: '' }, 'username', 'Enter a username'],
  ['basic empty password', headerFormSchema, { ...basic, password: undefined }, 'password', 'Enter a password'],
  ['basic password with LF', headerFormSchema, { ...basic, password: 'pa\nss' }, 'password', "Passwords can't contain line breaks"],
  ['basic non-ASCII username', headerFormSchema, { ...basic, username: 'josé' }, 'username', 'non-ASCII character at position 4'],
  ['basic credentials too long', headerFormSchema, { ...basic, password: 'p'.repeat(7000) }, 'password', 'too long'],
  // scopes
  ['scope host with scheme', headerFormSchema, { ...apiKey, scopeHost: 'https://api.example.com' }, 'scopeHost', 'without http:// or https://'],
  ['scope host with port', headerFormSchema, { ...apiKey, scopeHost: 'api.example.com:8443' }, 'scopeHost', 'without a port'],
  ['scope host with path', headerFormSchema, { ...apiKey, scopeHost: 'api.example.com/v1' }, 'scopeHost', 'without a path'],
  ['scope host wildcard', headerFormSchema, { ...apiKey, scopeHost: '*.example.com' }, 'scopeHost', "Wildcards aren't supported"],
  ['scope host with a space', headerFormSchema, { ...apiKey, scopeHost: 'api example.com' }, 'scopeHost', 'Enter a valid host name'],
  ['scope host unicode', headerFormSchema, { ...apiKey, scopeHost: 'bücher.de' }, 'scopeHost', 'xn--'],
  ['scope path without /', headerFormSchema, { ...apiKey, scopePathPrefix: 'v1/orders' }, 'scopePathPrefix', 'must start with /'],
  ['scope path with ..', headerFormSchema, { ...apiKey, scopePathPrefix: '/v1/../admin' }, 'scopePathPrefix', "can't contain '..'"],
  ['scope path with backslash', headerFormSchema, { ...apiKey, scopePathPrefix: '/v1\\admin' }, 'scopePathPrefix', "can't contain backslashes"],
  ['scope path with %2f', headerFormSchema, { ...apiKey, scopePathPrefix: '/v1%2fadmin' }, 'scopePathPrefix', 'encoded slashes'],
  ['scope path with %2E%2E', headerFormSchema, { ...apiKey, scopePathPrefix: '/v1/%2E%2E/admin' }, 'scopePathPrefix', 'encoded slashes'],
  ['scope path with query', headerFormSchema, { ...apiKey, scopePathPrefix: '/v1?admin=1' }, 'scopePathPrefix', 'query (?)'],
  ['scope path with //', headerFormSchema, { ...apiKey, scopePathPrefix: '/v1//admin' }, 'scopePathPrefix', 'empty segments'],
  ['scope path with bad percent', headerFormSchema, { ...apiKey, scopePathPrefix: '/v1/%zz' }, 'scopePathPrefix', 'invalid percent-encoding'],
  ['scope path with unicode', headerFormSchema, { ...apiKey, scopePathPrefix: '/v1/ä' }, 'scopePathPrefix', 'may only use letters'],
  // ids and kinds
  ['copilot id not a uuid', headerFormSchema, { ...apiKey, copilotId: 'copilot-1' }, 'copilotId', 'Invalid id'],
  ['unknown kind', headerFormSchema, { ...apiKey, kind: 'oauth' }, 'kind', 'Choose a header kind'],
  // edit and delete
  ['edit basic with username only', headerUpdateSchema, { ...update, kind: 'basic', name: 'Authorization', username: 'svc' }, 'password', 'needs both username and password'],
  ['edit basic with password only', headerUpdateSchema, { ...update, kind: 'basic', name: 'Authorization', password: 'pw' }, 'username', 'Enter the username too'],
  ['edit bearer with only the scheme', headerUpdateSchema, { ...update, kind: 'bearer', name: '', token: 'bearer' }, 'token', 'Enter the token after "Bearer"'],
  ['edit with CRLF replacement', headerUpdateSchema, { ...update, value: 'new\r\nX-Evil: 1' }, 'value', 'line breaks'],
  ['edit with forbidden name', headerUpdateSchema, { ...update, name: 'Transfer-Encoding' }, 'name', 'frames the request body'],
  ['edit with version 0', headerUpdateSchema, { ...update, expectedVersion: 0 }, 'expectedVersion', 'Invalid version'],
  ['edit with bad header id', headerUpdateSchema, { ...update, headerId: 'h1' }, 'headerId', 'Invalid id'],
  ['delete with fractional version', headerDeleteSchema, { copilotId, headerId, expectedVersion: 1.5 }, 'expectedVersion', 'Invalid version'],
];

const SECRET_FIELDS = ['value', 'token', 'username', 'password'] as const;

describe('[bad-input-changes-nothing]: bad header input gets a clear, field-level error', () => {
  it('covers at least 45 bad inputs', () => {
    expect(badInputs.length).toBeGreaterThanOrEqual(45);
  });

  it.each(badInputs)('%s → %s', (_label, schema, input, field, fragment) => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    const issues = result.error?.issues ?? [];
    expect(issues.map((issue) => issue.path.join('.'))).toEqual(issues.map(() => field));
    expect(issues.some((issue) => issue.message.includes(fragment))).toBe(true);
  });

  it.each(badInputs)('no error message echoes the submitted secret (%s)', (_label, schema, input) => {
    const messages = (schema.safeParse(input).error?.issues ?? []).map((issue) => issue.message).join('\n');
    for (const field of SECRET_FIELDS) {
      const secret = input[field];
      if (typeof secret === 'string' && secret.trim().length >= 4) expect(messages).not.toContain(secret);
    }
  });

  it('no error message contains any fragment of distinctive secrets', () => {
    const marker = 'Zq9Wv7Xk';
    const attempts: HeaderFormInput[] = [
      { ...apiKey, value: `${marker}\r\nX-Evil: 1` },
      { ...apiKey, value: `${marker}\0` },
      { ...apiKey, value: `${marker}é` },
      { ...apiKey, value: ` ${marker}` },
      { ...apiKey, value: marker.repeat(2000) },
      { ...bearer, token: `Bearer ${marker} x` },
      { ...bearer, token: `${marker} ${marker}` },
      { ...basic, username: `${marker}:x`, password: `${marker}\n` },
    ];
    for (const input of attempts) {
      const result = headerFormSchema.safeParse(input);
      expect(result.success).toBe(false);
      const text = JSON.stringify(result.error?.issues.map(({ message, path }) => ({ message, path })));
      for (const piece of [marker, marker.slice(0, 4), marker.slice(4), 'X-Evil']) expect(text).not.toContain(piece);
    }
  });
});

describe('good header input', () => {
  const parse = (input: HeaderFormInput) => headerFormSchema.parse(input);

  it('api_key: stores the value as is', () => {
    expect(storedValueFor(parse(apiKey))).toBe('sk_live_abc123');
  });

  it('custom: trims the name, allows inner spaces and tabs, and accepts exactly 8192 bytes', () => {
    const parsed = parse({ ...custom, name: '  X-Custom  ', value: 'a b\tc' });
    expect(parsed.name).toBe('X-Custom');
    expect(storedValueFor(parsed)).toBe('a b\tc');
    expect(storedValueFor(parse({ ...custom, value: 'v'.repeat(MAX_VALUE_BYTES) }))).toHaveLength(8192);
  });

  it('bearer: stores "Bearer <token>", defaults the name to Authorization and allows another (e.g. X-Upstream-Authorization)', () => {
    expect(storedValueFor(parse(bearer))).toBe('Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig');
    expect(parse({ ...bearer, name: '' }).name).toBe('Authorization');
    expect(parse({ ...bearer, name: 'X-Upstream-Authorization' }).name).toBe('X-Upstream-Authorization');
    expect(storedValueFor(parse({ ...bearer, token: 't'.repeat(8185) }))).toHaveLength(8192);
  });

  it('bearer: a pasted "Bearer <token>" (any case) is understood as the token, not stored as "Bearer Bearer …"', () => {
    expect(storedValueFor(parse({ ...bearer, token: 'Bearer eyJ.e30.sig' }))).toBe('Bearer eyJ.e30.sig');
    expect(storedValueFor(parse({ ...bearer, token: 'bearer\teyJ.e30.sig' }))).toBe('Bearer eyJ.e30.sig');
    expect(storedValueFor(parse({ ...bearer, token: `Bearer ${'t'.repeat(8185)}` }))).toHaveLength(8192);
  });

  it('basic: a pasted "Basic <base64>" value decodes into username and password; anything else is not one', () => {
    expect(decodeBasicCredentials('Basic dXNlcjpwYTpzcw==')).toEqual({ username: 'user', password: 'pa:ss' });
    expect(decodeBasicCredentials('basic  dXNlcjpwYXNz ')).toEqual({ username: 'user', password: 'pass' });
    expect(decodeBasicCredentials('Basic bm9jb2xvbg==')).toBeNull();
    expect(decodeBasicCredentials('Basic %%%')).toBeNull();
    expect(decodeBasicCredentials('Bearer dXNlcjpwYXNz')).toBeNull();
  });

  it('basic: stores "Basic base64(username:password)" exactly (RFC 7617 example), password may contain colons', () => {
    expect(storedValueFor(parse({ ...basic, username: 'Aladdin', password: 'open sesame' }))).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(storedValueFor(parse(basic))).toBe('Basic c3ZjLXVzZXI6cGE1NTp3b3Jk');
  });

  it('normalizes scopes: lowercase host, empty means none', () => {
    const parsed = parse({ ...apiKey, scopeHost: ' API.Example.COM ', scopePathPrefix: '/v1/orders' });
    expect(parsed.scopeHost).toBe('api.example.com');
    expect(parsed.scopePathPrefix).toBe('/v1/orders');
    const none = parse({ ...apiKey, scopeHost: '', scopePathPrefix: '' });
    expect(none.scopeHost).toBeNull();
    expect(none.scopePathPrefix).toBeNull();
    expect(parse(apiKey).scopeHost).toBeNull();
  });

  it('drops secret fields that belong to another kind (stale values in the flat form)', () => {
    const parsed = parse({ ...apiKey, token: 'stale-token', username: 'u', password: 'p' });
    expect(parsed).toMatchObject({ value: 'sk_live_abc123', token: undefined, username: undefined, password: undefined });
  });
});

describe('editing and deleting', () => {
  it('all secret fields empty keeps the stored value', () => {
    expect(replacementValueFor('api_key', headerUpdateSchema.parse(update))).toBeNull();
    const basicEdit = headerUpdateSchema.parse({ ...update, kind: 'basic', name: 'Authorization', username: '', password: '' });
    expect(replacementValueFor('basic', basicEdit)).toBeNull();
  });

  it('a replacement is encoded for the kind', () => {
    const bearerEdit = headerUpdateSchema.parse({ ...update, kind: 'bearer', name: 'Authorization', token: 'new-token' });
    expect(replacementValueFor('bearer', bearerEdit)).toBe('Bearer new-token');
    const basicEdit = headerUpdateSchema.parse({ ...update, kind: 'basic', name: 'Authorization', username: 'Aladdin', password: 'open sesame' });
    expect(replacementValueFor('basic', basicEdit)).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  it('refuses a submission that claims a different kind than the stored one', () => {
    const parsed = headerUpdateSchema.parse({ ...update, value: 'x-new' });
    expect(() => replacementValueFor('bearer', parsed)).toThrow(/kind cannot change/);
  });

  it('delete needs ids and a positive version', () => {
    expect(headerDeleteSchema.parse({ copilotId, headerId, expectedVersion: 2 })).toEqual({ copilotId, headerId, expectedVersion: 2 });
  });
});

describe('standalone name and value rules (reused by the runtime)', () => {
  it('every forbidden name is refused in any case; ordinary auth headers are allowed', () => {
    for (const name of NEVER_FORWARDED_NAMES) {
      expect(isForbiddenHeaderName(name.toUpperCase())).toBe(true);
      expect(headerNameSchema.safeParse(name).success).toBe(false);
    }
    expect(isForbiddenHeaderName('Proxy-Anything')).toBe(true);
    expect(isForbiddenHeaderName('X-Forwarded-Proto')).toBe(true);
    for (const name of ['Authorization', 'X-API-Key', 'Cookie', 'User-Token', 'X-Proxy', 'Hostname']) {
      expect(isForbiddenHeaderName(name)).toBe(false);
      expect(headerNameSchema.parse(` ${name} `)).toBe(name);
    }
  });

  it('one list: a name the runtime drops can never be saved, and a name that can be saved is never dropped', () => {
    for (const name of ['Accept-Encoding', 'TE', 'Expect', 'Host', 'X-Forwarded-For', 'Proxy-Authorization', 'Via', 'X-Real-IP']) {
      expect(isRequestHopByHop(name.toLowerCase()), name).toBe(true);
      expect(headerNameSchema.safeParse(name).success, name).toBe(false);
    }
    for (const name of ['Authorization', 'X-API-Key', 'Cookie', 'User-Token', 'Accept', 'Content-Type']) {
      expect(isRequestHopByHop(name.toLowerCase()), name).toBe(false);
      expect(headerNameSchema.safeParse(name).success, name).toBe(true);
    }
  });

  it('headerValueSchema accepts visible ASCII with inner spaces and refuses line breaks', () => {
    expect(headerValueSchema.parse("!~ a\t'z")).toBe("!~ a\t'z");
    expect(headerValueSchema.safeParse('a\nb').error?.issues[0]?.message).toBe("Values can't contain line breaks");
  });
});

describe('header names that proxies drop', () => {
  it('a name with an underscore is valid but warned about (fixed: saved without a word, then dropped by nginx in front of the API)', () => {
    expect(headerNameSchema.safeParse('X_Tenant_Id').success).toBe(true);
    expect(headerNameWarning('X_Tenant_Id')).toBe('Proxies such as nginx drop header names with underscores by default: X-Tenant-Id is safer.');
    expect(headerNameWarning('X-Tenant-Id')).toBeNull();
  });
});
