// Builds the chat widget (widget/src) with esbuild:
//   public/widget.js      the IIFE for <script src="<app>/widget.js"> (window.initOpenScript), served by the app;
//   widget/dist/*.js      the package's ES modules: "." (initOpenScript) and "./react" (WidgetRoot, Widget);
//   widget/dist/*.d.ts    their type declarations (tsc).
// `--script-only` builds public/widget.js alone (npm run dev); `--watch` rebuilds it on every change.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { build, context } from 'esbuild';

const args = new Set(process.argv.slice(2));

/** Browsers with Shadow DOM, fetch streams and optional chaining: every evergreen one since 2021. */
const target = ['chrome90', 'edge90', 'firefox90', 'safari15'];

const script = {
  entryPoints: ['widget/src/script.ts'],
  outfile: 'public/widget.js',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target,
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};

const modules = {
  entryPoints: { index: 'widget/src/index.ts', react: 'widget/src/react.ts' },
  outdir: 'widget/dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target,
  external: ['react', 'react/*'],
  logLevel: 'warning',
};

if (args.has('--watch')) {
  const ctx = await context(script);
  await ctx.watch();
  console.log('watching widget/src → public/widget.js');
} else {
  await build(script);
  console.log('built public/widget.js');
  if (!args.has('--script-only')) {
    rmSync('widget/dist', { recursive: true, force: true });
    await build(modules);
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'widget/tsconfig.build.json'], { stdio: 'inherit' });
    console.log('built widget/dist (index, react, types)');
  }
}
