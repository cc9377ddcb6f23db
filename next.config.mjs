const production = process.env.NODE_ENV === 'production';

/** Sent on every response (pages, route handlers, static files); the Content-Security-Policy is per page, in proxy.ts. */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  // Older browsers that don't know the policy's frame-ancestors 'none'.
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  // Production only: a browser that saw it over https refuses plain http to this host for a year.
  ...(production ? [{ key: 'Strict-Transport-Security', value: 'max-age=31536000' }] : []),
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WASM and data files by path at run time; bundling it breaks that.
  serverExternalPackages: ['@electric-sql/pglite', 'pg'],
  poweredByHeader: false,
  // `next dev` serves its scripts to localhost only; allow 127.0.0.1 too (the e2e suite and some tools use it).
  allowedDevOrigins: ['127.0.0.1'],
  typedRoutes: false,
  // `next dev` prints each server function call with its arguments by default: the first-admin form's
  // password, a header's value. Never.
  logging: { serverFunctions: false },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
