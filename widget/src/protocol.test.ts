import { describe, expect, it } from 'vitest';
import { authRefused, buildRequestBody, chatUrl, decodeEvent, errorFromResponse, LIMITS, retryAfterSeconds, type ChatMessage } from './protocol';
import { chipLabel, chipState, messagesFor, newTurn, parameterRows } from './transcript';

const bytes = (s: string) => new TextEncoder().encode(s).length;

describe('buildRequestBody', () => {
  it('sends messages, headers and user as the protocol names them', () => {
    const body = JSON.parse(buildRequestBody([{ role: 'user', content: ' Where is order 42? ' }], { Authorization: 'Bearer t' }, { id: 'u_42' }));
    expect(body).toEqual({ messages: [{ role: 'user', content: 'Where is order 42?' }], headers: { Authorization: 'Bearer t' }, user: { id: 'u_42' } });
  });

  it('sends a sealed session as `session`, beside (or instead of) headers', () => {
    const body = JSON.parse(buildRequestBody([{ role: 'user', content: 'hi' }], undefined, undefined, { session: 'hs_opaque' })) as Record<string, unknown>;
    expect(body).toEqual({ messages: [{ role: 'user', content: 'hi' }], session: 'hs_opaque' });
  });

  it('tells a session that ended (the widget asks for a new one) from one that can never work', () => {
    for (const code of ['session_expired', 'session_revoked']) expect(errorFromResponse(401, { error: { code } }, null)).toMatchObject({ code, retryable: true });
    for (const code of ['session_invalid', 'session_wrong_copilot']) expect(errorFromResponse(401, { error: { code } }, null)).toMatchObject({ code, retryable: false });
  });

  it('sends a signed identity token as `identityToken`; an expired one is asked for again, the others show their code', () => {
    const body = JSON.parse(buildRequestBody([{ role: 'user', content: 'hi' }], undefined, undefined, { identityToken: 'eyJ.signed.jwt' })) as Record<string, unknown>;
    expect(body).toEqual({ messages: [{ role: 'user', content: 'hi' }], identityToken: 'eyJ.signed.jwt' });
    expect(errorFromResponse(401, { error: { code: 'identity_expired' } }, null)).toMatchObject({ code: 'identity_expired', retryable: true });
    for (const code of ['identity_invalid', 'identity_wrong_audience', 'identity_not_configured', 'identity_user_mismatch']) {
      const error = errorFromResponse(401, { error: { code } }, null);
      expect(error).toMatchObject({ code, retryable: false });
      expect(error.message).toContain(`(${code})`);
    }
  });

  it('leaves out headers and user when there are none', () => {
    expect(Object.keys(JSON.parse(buildRequestBody([{ role: 'user', content: 'hi' }], undefined, undefined)))).toEqual(['messages']);
  });

  it('keeps the last 50 messages, each at most 8,000 characters, and drops empty ones', () => {
    const history: ChatMessage[] = Array.from({ length: 60 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `m${i}` }));
    history.splice(58, 0, { role: 'assistant', content: '   ' });
    history.push({ role: 'user', content: 'x'.repeat(9000) });
    const { messages } = JSON.parse(buildRequestBody(history, undefined, undefined)) as { messages: ChatMessage[] };
    expect(messages).toHaveLength(LIMITS.messages);
    expect(messages.every((m) => m.content.trim().length > 0)).toBe(true);
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'x'.repeat(LIMITS.contentChars) });
  });

  it('drops the oldest messages until the body fits in 256 KiB, keeping the question', () => {
    const long = 'é'.repeat(LIMITS.contentChars); // 2 bytes each in UTF-8
    const history: ChatMessage[] = Array.from({ length: 40 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `${i} ${long}` }));
    const body = buildRequestBody(history, { 'X-Custom-Auth': 'k' }, undefined);
    const { messages } = JSON.parse(body) as { messages: ChatMessage[] };
    expect(bytes(body)).toBeLessThanOrEqual(LIMITS.bodyBytes);
    expect(messages.length).toBeLessThan(40);
    expect(messages.at(-1)!.content.startsWith('39 ')).toBe(true);
  });
});

describe('decodeEvent', () => {
  it('decodes each event type of the protocol', () => {
    expect(decodeEvent('text', '{"delta":"Hel"}')).toEqual({ type: 'text', delta: 'Hel' });
    expect(decodeEvent('tool_call', '{"id":"call_1","operation":"getOrder","method":"GET","path":"/orders/42"}')).toEqual({ type: 'tool_call', id: 'call_1', method: 'GET', path: '/orders/42' });
    expect(decodeEvent('tool_result', '{"id":"call_1","status":200,"durationMs":31}')).toEqual({ type: 'tool_result', id: 'call_1', status: 200, durationMs: 31, error: undefined });
    expect(decodeEvent('tool_result', '{"id":"call_1","error":"destination_refused"}')).toMatchObject({ error: 'destination_refused', status: undefined });
    expect(decodeEvent('auth_error', '{"status":403,"operation":"getOrder"}')).toEqual({ type: 'auth_error', status: 403 });
    expect(decodeEvent('auth_error', '{"status":401,"operation":"getOrder","perUserHeaders":["User-Token",7]}')).toEqual({ type: 'auth_error', status: 401, perUserHeaders: ['User-Token'] });
    expect(decodeEvent('error', '{"code":"model_error","message":"The model is busy."}')).toEqual({ type: 'error', message: 'The model is busy.' });
    expect(decodeEvent('done', '{}')).toEqual({ type: 'done' });
    expect(decodeEvent('diagnostics', '{"droppedHeaders":["X-Debug",3]}')).toEqual({ type: 'diagnostics', droppedHeaders: ['X-Debug'] });
  });

  it('a header schema refusal shows the server’s sentence (it names the header, never the value) and is not retried', () => {
    const message = 'The header User-Token does not have the form this assistant accepts.';
    expect(errorFromResponse(400, { error: { code: 'header_refused', message } }, null)).toEqual({ code: 'header_refused', message, retryable: false });
  });

  it('ignores unknown events and malformed data instead of failing the turn', () => {
    expect(decodeEvent('usage', '{"tokens":3}')).toBeNull();
    expect(decodeEvent(undefined, '{"delta":"x"}')).toBeNull();
    expect(decodeEvent('text', 'not json')).toBeNull();
    expect(decodeEvent('text', '{"delta":42}')).toBeNull();
    expect(decodeEvent('tool_call', '{"id":"c"}')).toBeNull();
    expect(decodeEvent('error', '{}')).toMatchObject({ type: 'error', message: expect.stringContaining('Try again') });
  });
});

describe('errors the user sees', () => {
  it('names each refusal of the protocol plainly', () => {
    expect(errorFromResponse(403, { error: { code: 'origin_not_allowed', message: 'This site (https://x) is not allowed…' } }, null)).toMatchObject({ message: "This site isn't allowed to use this assistant.", retryable: false });
    expect(errorFromResponse(404, { error: { code: 'unknown_widget', message: '…' } }, null).message).toMatch(/isn't available/);
    const notConfigured = "This assistant isn't set up yet: an admin needs to choose a model in the copilot's settings.";
    expect(errorFromResponse(503, { error: { code: 'model_not_configured', message: notConfigured } }, null)).toMatchObject({ message: notConfigured, retryable: false });
    expect(errorFromResponse(403, { error: { code: 'preview_expired', message: 'This preview has ended. Reload the Preview tab.' } }, null)).toMatchObject({ message: 'This preview has ended. Reload the Preview tab.', retryable: false });
    expect(errorFromResponse(429, { error: { code: 'rate_limited', message: 'Slow down' } }, '30')).toMatchObject({ message: 'Too many messages right now. Try again in 30 seconds.', retryable: true });
    expect(errorFromResponse(429, null, '120').message).toBe('Too many messages right now. Try again in 2 minutes.');
    expect(errorFromResponse(429, null, null).message).toBe('Too many messages right now. Try again in a moment.');
    expect(errorFromResponse(413, { error: { code: 'payload_too_large' } }, null).message).toMatch(/Start a new conversation/);
    expect(errorFromResponse(400, { error: { code: 'invalid_request', message: 'headers: "X Bad" is not a header name' } }, null).message).toBe('headers: "X Bad" is not a header name');
    expect(errorFromResponse(502, null, null)).toMatchObject({ code: 'server_error', retryable: true });
    expect(errorFromResponse(404, null, null)).toMatchObject({ code: 'unexpected_response', message: expect.stringContaining('HTTP 404') });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds('17', now)).toBe(17);
    expect(retryAfterSeconds('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60);
    expect(retryAfterSeconds('soon', now)).toBeNull();
  });
});

describe('transcript', () => {
  it('sends earlier answered turns with their answers, then the question; unanswered questions stay out', () => {
    const first = { ...newTurn('Where is order 42?'), answer: 'It shipped.', state: 'done' as const };
    const failed = { ...newTurn('And 43?'), state: 'failed' as const };
    const current = newTurn('Thanks, and 44?');
    expect(messagesFor([first, failed, current], current)).toEqual([
      { role: 'user', content: 'Where is order 42?' },
      { role: 'assistant', content: 'It shipped.' },
      { role: 'user', content: 'Thanks, and 44?' },
    ]);
  });

  it('labels tool calls as chips', () => {
    expect(chipLabel({ id: 'c', method: 'get', path: '/orders/42' })).toBe('GET /orders/42 …');
    expect(chipLabel({ id: 'c', method: 'GET', path: '/orders/42', status: 200 })).toBe('GET /orders/42 → 200');
    expect(chipLabel({ id: 'c', method: 'GET', path: '/admin', error: 'destination_refused' })).toBe('GET /admin → destination refused');
    expect(chipState({ id: 'c', method: 'GET', path: '/', status: 404 })).toBe('failed');
  });

  it('puts the token in its own path segment', () => {
    expect(chatUrl('https://app.example.com/', 'cpt_a/b?c')).toBe('https://app.example.com/api/v1/widgets/cpt_a%2Fb%3Fc/chat');
  });
});

describe('approvals', () => {
  const held = { id: '6f1d2c1e-1f1b-4c55-9d0e-6f3c2b7a9e10', operation: 'buyItem', method: 'POST', path: '/orders', parameters: { body: { sku: 'red', quantity: 1 } }, expiresAt: '2026-01-01T00:02:00.000Z' };

  it('decodes approval_required, and ignores one without an id or with parameters that are no object', () => {
    expect(decodeEvent('approval_required', JSON.stringify(held))).toEqual({ type: 'approval_required', approval: held });
    expect(decodeEvent('approval_required', JSON.stringify({ ...held, id: undefined }))).toBeNull();
    expect(decodeEvent('approval_required', JSON.stringify({ ...held, parameters: ['x'] }))).toBeNull();
  });

  it('sends the answer as `approval` beside the same messages', () => {
    const approval = { id: held.id, decision: 'approve' as const, operation: held.operation, parameters: held.parameters };
    const body = JSON.parse(buildRequestBody([{ role: 'user', content: 'Buy it' }], undefined, undefined, { approval })) as Record<string, unknown>;
    expect(body).toEqual({ messages: [{ role: 'user', content: 'Buy it' }], approval });
  });

  it('shows parameters as label/value rows: path, query and body keys alone, nested ones dotted, other values as JSON', () => {
    expect(parameterRows({ path: { id: 42 }, query: { tag: ['a', 'b'] }, body: { sku: 'red', address: { city: 'Lyon' }, gift: false } })).toEqual([
      ['id', '42'],
      ['tag', '["a","b"]'],
      ['sku', 'red'],
      ['address.city', 'Lyon'],
      ['gift', 'false'],
    ]);
    expect(parameterRows({ body: [1, 2] })).toEqual([['body', '[1,2]']]);
  });
});

describe('authRefused', () => {
  it('[refusals-attributed-on-evidence]: names the sign-in headers the refused call carried, and says so when the page sent none (not "your sign-in was refused")', () => {
    expect(authRefused(401, ['User-Token']).message).toBe('The service refused your sign-in (HTTP 401, User-Token). Sign in again, then try again.');
    expect(authRefused(401, []).message).toBe('The service refused this request (HTTP 401), and this page sent no sign-in of yours. If the site needs you signed in, sign in, then try again.');
    expect(authRefused(403).message).toBe('The service refused your sign-in (HTTP 403). Sign in again, then try again.');
  });
});
