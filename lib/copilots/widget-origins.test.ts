import { describe, expect, it } from 'vitest';
import { normaliseOrigin } from './schema';
import { originAllowed } from '@/core/http/origins';
import { wildcardOriginProblem } from '@/core/http/wildcard-origins';

describe('allowed widget origins', () => {
  const allowed = ['https://shop.example.org', 'https://*.example.com'];

  it('[widget-origins-bounded]: a subdomain wildcard allows the subdomains of exactly that domain — not the bare domain, lookalikes, another scheme or port', () => {
    for (const origin of ['https://pr-7.example.com', 'https://a.b.example.com', 'https://shop.example.org']) expect(originAllowed(origin, allowed), origin).toBe(true);
    for (const origin of [
      'https://example.com',
      'https://evil-example.com',
      'https://example.com.evil.io',
      'https://x.example.com.evil.io',
      'https://xexample.com',
      'http://pr-7.example.com',
      'https://pr-7.example.com:8443',
      'https://pr-7.example.com/',
      'null',
      '*',
      'https://shop.example.org.evil.io',
    ]) {
      expect(originAllowed(origin, allowed), origin).toBe(false);
    }
    expect(originAllowed('https://pr-7.example.com:8443', ['https://*.example.com:8443'])).toBe(true);
  });

  it('[widget-origins-bounded]: never a bare *, http, a wildcard in the middle, or a public suffix anyone can register under', () => {
    for (const line of ['*', 'https://*', 'http://*.example.com', 'https://a.*.example.com', 'https://*example.com', 'https://*.example.com/path']) {
      expect(normaliseOrigin(line).problem, line).toMatch(/wildcard is allowed only as the first label/);
    }
    for (const pattern of ['https://*.com', 'https://*.co.uk', 'https://*.github.io', 'https://*.vercel.app']) expect(wildcardOriginProblem(pattern), pattern).toMatch(/public suffix/);
    expect(normaliseOrigin('https://*.Preview.Example.com:443')).toEqual({ origin: 'https://*.preview.example.com' });
    expect(wildcardOriginProblem('https://*.preview.example.com')).toBeNull();
  });
});
