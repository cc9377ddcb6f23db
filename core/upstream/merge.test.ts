import { describe, expect, it } from 'vitest';
import { mergeHeaders } from './merge';
import type { DashboardHeader } from './types';

const target = new URL('https://api.example.com/v1/orders');

function header(partial: Partial<DashboardHeader> & Pick<DashboardHeader, 'id' | 'name' | 'value'>): DashboardHeader {
  return { allowWidgetOverride: false, scopeHost: null, scopePathPrefix: null, ...partial };
}

describe('mergeHeaders', () => {
  it('[dashboard-headers-win]: on a clash the dashboard header wins when override is not allowed', () => {
    const result = mergeHeaders({
      dashboard: [header({ id: 'h1', name: 'X-API-Key', value: 'dash-key-123' })],
      widget: { 'x-api-key': 'widget-key-456' },
      target,
    });
    expect(result.headers).toEqual({ 'x-api-key': 'dash-key-123' });
    expect(result.usedHeaderIds).toEqual(['h1']);
    expect(result.overridden).toEqual([]);
  });

  it('allowWidgetOverride lets the widget value win, and the dashboard header is then not used', () => {
    const result = mergeHeaders({
      dashboard: [header({ id: 'h1', name: 'Authorization', value: 'Bearer service-token', allowWidgetOverride: true })],
      widget: { AUTHORIZATION: 'Bearer user-jwt' },
      target,
    });
    expect(result.headers).toEqual({ authorization: 'Bearer user-jwt' });
    expect(result.usedHeaderIds).toEqual([]);
    expect(result.overridden).toEqual(['authorization']);
  });

  it('an overridable dashboard header is still sent when the widget does not send that name', () => {
    const result = mergeHeaders({
      dashboard: [header({ id: 'h1', name: 'Authorization', value: 'Bearer service-token', allowWidgetOverride: true })],
      widget: { 'User-Token': 'u-1' },
      target,
    });
    expect(result.headers).toEqual({ authorization: 'Bearer service-token', 'user-token': 'u-1' });
    expect(result.usedHeaderIds).toEqual(['h1']);
  });

  it('clashes are case-insensitive ("x-api-key" vs "X-API-Key")', () => {
    const result = mergeHeaders({
      dashboard: [header({ id: 'h1', name: 'x-api-key', value: 'dash' + '-value' })],
      widget: { 'X-API-Key': 'widget-value' },
      requestHeaders: { 'X-Api-KEY': 'request-value' },
      target,
    });
    expect(Object.keys(result.headers)).toEqual(['x-api-key']);
    expect(result.headers['x-api-key']).toBe('dash-value');
  });

  it('request headers from the engine win over widget headers with the same name', () => {
    const result = mergeHeaders({ dashboard: [], widget: { 'Content-Type': 'text/plain' }, requestHeaders: { 'content-type': 'application/json' }, target });
    expect(result.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('a scoped dashboard header applies only to its host and path prefix (segment boundary)', () => {
    const dashboard = [
      header({ id: 'scoped', name: 'X-Orders-Key', value: 'orders-secret', scopeHost: 'API.example.com', scopePathPrefix: '/v1/orders/' }),
      header({ id: 'other-host', name: 'X-Other', value: 'other-secret', scopeHost: 'files.example.com' }),
    ];
    const hit = mergeHeaders({ dashboard, target: new URL('https://api.example.com/v1/orders/7') });
    expect(hit.headers).toEqual({ 'x-orders-key': 'orders-secret' });
    expect(hit.usedHeaderIds).toEqual(['scoped']);
    for (const url of ['https://api.example.com/v1/ordersx', 'https://api.example.com/v1', 'https://evil.example.com/v1/orders']) {
      expect(mergeHeaders({ dashboard, target: new URL(url) }).headers, url).toEqual({});
    }
  });

  it('the most specific applicable dashboard header wins a name', () => {
    const dashboard = [
      header({ id: 'global', name: 'X-Key', value: 'global-key' }),
      header({ id: 'v1', name: 'X-Key', value: 'v1-key', scopePathPrefix: '/v1' }),
      header({ id: 'host', name: 'x-key', value: 'host-key', scopeHost: 'api.example.com' }),
    ];
    expect(mergeHeaders({ dashboard, target }).usedHeaderIds).toEqual(['host']);
    expect(mergeHeaders({ dashboard: dashboard.slice(0, 2), target }).headers['x-key']).toBe('v1-key');
  });

  it('mixed: dashboard X-API-Key and widget User-Token both go out', () => {
    const result = mergeHeaders({
      dashboard: [header({ id: 'h1', name: 'X-API-Key', value: 'dash-key' })],
      widget: { 'User-Token': 'jwt.user.token' },
      target,
    });
    expect(result.headers).toEqual({ 'x-api-key': 'dash-key', 'user-token': 'jwt.user.token' });
  });

  it('strips hop-by-hop and framing headers, and those a Connection header names, reporting names only', () => {
    const widget = {
      Connection: 'keep-alive, X-Drop-Me',
      'X-Drop-Me': 'drop-value',
      'Keep-Alive': 'timeout=5',
      'Proxy-Authorization': 'Basic Zm9vOmJhcg==',
      'Proxy-Connection': 'keep-alive',
      TE: 'trailers',
      Trailer: 'X-T',
      'Transfer-Encoding': 'chunked',
      Upgrade: 'websocket',
      Host: 'attacker.example',
      'Content-Length': '999',
      'Accept-Encoding': 'gzip',
      'X-Kept': 'kept',
    };
    const result = mergeHeaders({ dashboard: [], widget, target });
    expect(result.headers).toEqual({ 'x-kept': 'kept' });
    expect(result.dropped.sort()).toEqual(
      ['connection', 'x-drop-me', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'accept-encoding'].sort(),
    );
  });

  it('[dashboard-headers-win]: a widget Connection header cannot remove a dashboard header', () => {
    const result = mergeHeaders({
      dashboard: [header({ id: 'h1', name: 'X-API-Key', value: 'dash-key' })],
      widget: { Connection: 'X-API-Key' },
      target,
    });
    expect(result.headers).toEqual({ 'x-api-key': 'dash-key' });
  });

  it('drops invalid names and values (CR, LF, NUL) and reports names, never values', () => {
    const widget = {
      'X-Good': 'ok',
      'X-CRLF': 'v\r\nInjected: 1',
      'X-NUL': 'v\u0000',
      'Bad Name': 'v',
      'X-Name\r\nInjected': 'secret-in-name',
      '': 'empty-name',
    };
    const result = mergeHeaders({ dashboard: [], widget, target });
    expect(result.headers).toEqual({ 'x-good': 'ok' });
    expect(result.dropped).toEqual(['x-crlf', 'x-nul', '[invalid header name]', '[invalid header name]', '[invalid header name]']);
    expect(JSON.stringify(result.dropped)).not.toMatch(/secret-in-name|Injected/);
  });

  it("a header named '__proto__' cannot pollute the result object", () => {
    const widget = JSON.parse('{"__proto__": "x", "X-A": "1"}') as Record<string, string>;
    const result = mergeHeaders({ dashboard: [], widget, target });
    expect(Object.getPrototypeOf(result.headers)).toBe(Object.prototype);
    expect(result.headers['x-a']).toBe('1');
  });
});
