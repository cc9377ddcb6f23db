/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WASM and data files by path at run time; bundling it breaks that (DESIGN §10).
  serverExternalPackages: ['@electric-sql/pglite', 'pg'],
  poweredByHeader: false,
  // `next dev` serves its scripts to localhost only; allow 127.0.0.1 too (the e2e suite and some tools use it).
  allowedDevOrigins: ['127.0.0.1'],
  typedRoutes: false,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
