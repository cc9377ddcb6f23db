// Bundles the node:http entry (server/) and what it imports from core/ and db/ into dist/, so
// `npm start` runs plain JavaScript. npm packages stay external (resolved from node_modules).
import { build } from 'esbuild';

await build({
  entryPoints: { server: 'server/main.ts' },
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
console.log('built dist/server.mjs');
