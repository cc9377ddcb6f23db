import { describe, expect, it } from 'vitest';
import { resolveDestination } from './destination';
import { isPathUnder } from '@/core/http/fields';
import { hostileUrls } from '@/test/fixtures/hostile-urls';

const copilot = { apiBaseUrls: ['https://api.example.com/api', 'https://files.example.com:8443/'] };

function href(url: string): string | null {
  const result = resolveDestination(copilot, url);
  return result.ok ? result.url.href : null;
}

describe('resolveDestination', () => {
  it('appends a path to the first base path unless it already starts with it', () => {
    expect(href('/orders?id=1')).toBe('https://api.example.com/api/orders?id=1');
    expect(href('/api/orders')).toBe('https://api.example.com/api/orders');
    expect(href('/api')).toBe('https://api.example.com/api');
    expect(href('/apix')).toBe('https://api.example.com/api/apix');
  });

  it('accepts absolute URLs under any base: same scheme, host (case-insensitive), effective port and path prefix', () => {
    expect(href('https://API.Example.com/api/x')).toBe('https://api.example.com/api/x');
    expect(href('https://api.example.com:443/api/x')).toBe('https://api.example.com/api/x');
    expect(href('https://files.example.com:8443/any/thing')).toBe('https://files.example.com:8443/any/thing');
    expect(href('HTTPS://api.example.com/api')).toBe('https://api.example.com/api');
  });

  it('[destinations-scoped]: the base path is a prefix on a segment boundary — /api allows /api and /api/x, not /apix', () => {
    expect(href('https://api.example.com/api')).not.toBeNull();
    expect(href('https://api.example.com/api/x')).not.toBeNull();
    expect(href('https://api.example.com/apix')).toBeNull();
    expect(href('https://api.example.com/')).toBeNull();
  });

  it('refuses other schemes, hosts and ports, and drops the fragment', () => {
    expect(href('http://api.example.com/api/x')).toBeNull();
    expect(href('https://api.example.com.evil.com/api/x')).toBeNull();
    expect(href('https://files.example.com/x')).toBeNull();
    expect(href('https://api.example.com/api/x#frag')).toBe('https://api.example.com/api/x');
  });

  it('normalises punycode hosts through the WHATWG URL parser', () => {
    const idn = { apiBaseUrls: ['https://bücher.example/api'] };
    const result = resolveDestination(idn, 'https://xn--bcher-kva.example/api/x');
    expect(result.ok && result.url.hostname).toBe('xn--bcher-kva.example');
  });

  it('refuses when the copilot has no usable base URL', () => {
    expect(resolveDestination({ apiBaseUrls: ['ftp://x', 'not a url'] }, '/x').ok).toBe(false);
  });

  it('[no-value-in-responses]: reasons never echo the input', () => {
    const secret = 'sk_live_SECRET_in_path_1234';
    for (const url of [`/api/${secret}/../x`, `https://${secret}.evil.com/`, `javascript:${secret}`, `/api/${secret}\n`]) {
      const result = resolveDestination(copilot, url);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).not.toContain(secret);
    }
  });
});

describe('resolveDestination fuzz: hostile paths and URLs', () => {
  const upstreamPort = 41234;
  const attackerPort = 41235;
  const base = { apiBaseUrls: [`http://127.0.0.1:${upstreamPort}/api`] };
  const table = hostileUrls(upstreamPort, attackerPort);

  it('has at least 60 cases', () => {
    expect(table.length).toBeGreaterThanOrEqual(60);
  });

  it.each(table.map((u) => [JSON.stringify(u), u]))(
    '[destinations-scoped]: %s is refused or stays on the base origin under /api',
    (_label, url) => {
      const result = resolveDestination(base, url);
      if (!result.ok) {
        expect(result.code).toBe('destination_refused');
        return;
      }
      expect(result.url.origin).toBe(`http://127.0.0.1:${upstreamPort}`);
      expect(isPathUnder(result.url.pathname, '/api')).toBe(true);
      expect(result.url.pathname.split('/')).not.toContain('..');
      expect(result.url.username + result.url.password).toBe('');
      expect(result.url.hash).toBe('');
    },
  );

  it('refuses the classic traversal and smuggling forms outright', () => {
    for (const url of ['/api/%2e%2e/x', '/api/%252e%252e/x', '/api%2f..', '/api/../../', '//attacker:1/', 'file:///etc/passwd']) {
      expect(resolveDestination(base, url).ok, url).toBe(false);
    }
  });
});
