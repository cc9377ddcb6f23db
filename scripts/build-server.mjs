// Bundles the node:http entries (server/main.ts for `npm start`, server/runtime.ts for
// `npm run runtime`) and what they import from core/ and db/ into dist/, so they run plain
// JavaScript. npm packages stay external (resolved from node_modules). dist/openapi-worker.mjs is the
// OpenAPI import worker: the dashboard (bundled by Next.js) starts it by this path (core/engine/openapi-sandbox.ts).
import { build } from 'esbuild';

await build({
  entryPoints: { server: 'server/main.ts', runtime: 'server/runtime.ts', 'openapi-worker': 'core/engine/openapi-worker.ts' },
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
console.log('built dist/server.mjs, dist/runtime.mjs and dist/openapi-worker.mjs');
