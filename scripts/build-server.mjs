// Bundles the node:http entries (server/main.ts for `npm start`, server/runtime.ts for
// `npm run runtime`), the OpenAPI import worker and the operator commands (scripts/keys.ts, migrate.ts,
// audit-prune.ts) with what they import from core/, lib/ and db/ into dist/, so they run as plain
// JavaScript where the TypeScript tooling is not installed (the Docker image:
// `node --conditions=react-server dist/keys.mjs status`). dist/openapi-worker.mjs is started by path by
// the dashboard, which Next.js bundles (lib/api-actions/openapi/openapi-sandbox.ts). npm packages stay external
// (resolved from node_modules).
import { build } from 'esbuild';

await build({
  entryPoints: {
    server: 'server/main.ts',
    runtime: 'server/runtime.ts',
    'openapi-worker': 'lib/api-actions/openapi/openapi-worker.ts',
    keys: 'scripts/keys.ts',
    migrate: 'scripts/migrate.ts',
    'audit-prune': 'scripts/audit-prune.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  tsconfig: 'tsconfig.json',
});
console.log('built dist/server.mjs, dist/runtime.mjs, dist/openapi-worker.mjs and the operator commands dist/{keys,migrate,audit-prune}.mjs');
