// Builds the chat widget (widget/src) with esbuild:
//   public/widget.js      the IIFE for <script src="<app>/widget.js"> (window.initOpenScript), served by the app;
//   widget/dist/*.js      the package's ES modules: "." (initOpenScript) and "./react" (WidgetRoot, Widget);
//   widget/dist/*.d.ts    their type declarations (tsc);
//   public/widget/        the package as npm packs it (`npm pack` in widget/: the same bytes), served by the app
//                         for `npm install <app>/widget/copilot-headers-widget.tgz`, with its version and integrity.
// `--script-only` builds public/widget.js alone (npm run dev); `--package-only` builds widget/dist alone (the
// package's `prepack`, so `npm pack` in widget/ needs no other step); `--watch` rebuilds widget.js on every change.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, context } from 'esbuild';

// The package's prepack runs this from widget/: work from the repository root either way.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const args = new Set(process.argv.slice(2));
// Under `npm pack --json` (prepack) stdout is npm's JSON answer: progress goes to stderr there.
const say = args.has('--package-only') ? console.error : console.log;

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
  absWorkingDir: root,
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
  absWorkingDir: root,
};

/** The stable URL's file name; the versioned one is npm's own (`copilot-headers-widget-<version>.tgz`). */
const TARBALL = 'copilot-headers-widget.tgz';
const PACKED_DIR = 'public/widget';

async function buildModules() {
  rmSync('widget/dist', { recursive: true, force: true });
  await build(modules);
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'widget/tsconfig.build.json'], { stdio: 'inherit' });
  say('built widget/dist (index, react, types)');
}

/** `npm pack` (deterministic: fixed file times and order) into public/widget, plus what the General tab shows. */
function packPackage() {
  rmSync(PACKED_DIR, { recursive: true, force: true });
  mkdirSync(PACKED_DIR, { recursive: true });
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', path.resolve(PACKED_DIR)], { cwd: 'widget', encoding: 'utf8' });
  const [packed] = JSON.parse(out);
  copyFileSync(path.join(PACKED_DIR, packed.filename), path.join(PACKED_DIR, TARBALL));
  const manifest = { name: packed.name, version: packed.version, integrity: packed.integrity, tarball: `/widget/${TARBALL}`, versionedTarball: `/widget/${packed.filename}` };
  writeFileSync(path.join(PACKED_DIR, 'copilot-headers-widget.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`packed ${packed.name}@${packed.version} → ${PACKED_DIR}/${TARBALL} (${packed.integrity})`);
}

if (args.has('--watch')) {
  const ctx = await context(script);
  await ctx.watch();
  console.log('watching widget/src → public/widget.js');
} else if (args.has('--package-only')) {
  await buildModules();
} else {
  await build(script);
  console.log('built public/widget.js');
  if (!args.has('--script-only')) {
    await buildModules();
    packPackage();
  }
}
