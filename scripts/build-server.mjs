// Bundles the node:http entries (server/main.ts for `npm start`, server/runtime.ts for
// `npm run runtime`) and what they import from core/ and db/ into dist/, so they run plain
// JavaScript. npm packages stay external (resolved from node_modules).
import { build } from 'esbuild';

await build({
  entryPoints: { server: 'server/main.ts', runtime: 'server/runtime.ts' },
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
console.log('built dist/server.mjs and dist/runtime.mjs');
