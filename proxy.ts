import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/core/env';
import { contentSecurityPolicy, generateNonce } from '@/lib/security/content-security-policy';

/**
 * A fresh Content-Security-Policy nonce for every dashboard page. The policy goes on the request too:
 * Next.js reads the nonce from it and puts it on the scripts it renders. The other security headers
 * (nosniff, Referrer-Policy, framing, Permissions-Policy, HSTS) are in next.config.mjs, for every path.
 */
export function proxy(request: NextRequest) {
  const e = env();
  const policy = contentSecurityPolicy({
    nonce: generateNonce(),
    development: e.NODE_ENV === 'development',
    https: e.NEXTAUTH_URL?.startsWith('https:') ?? request.nextUrl.protocol === 'https:',
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: not route handlers (/api: the runtime API is called cross-origin by the widget),
      // Next's static files, or the embeddable widget script.
      source: '/((?!api/|_next/static|_next/image|favicon.ico|widget).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
