import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundledEntry, WIDGET_GZIP_BUDGET_BYTES, WIDGET_REACT_ENTRY_GZIP_BUDGET_BYTES } from '@/bench/widget-size';
import { readWidgetPackage, WIDGET_PACKAGE_MANIFEST } from '@/lib/copilots/widget-package';

// The widget as customers install it: the tarball `npm run build` packs into public/widget (served by the app)
// is the one `npm pack` in widget/ makes, and it holds a publishable package whose entries exist.
type PackageJson = Record<string, unknown> & { version: string; exports: Record<string, { types: string; import: string } | string> };
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;
const integrityOf = (bytes: Buffer) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

const pkg = readJson<PackageJson>('widget/package.json');
const scratch = mkdtempSync(path.join(tmpdir(), 'widget-pack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// The build runs in a private copy of what it reads (the build script, widget/ without dist, node_modules linked):
// it writes widget/dist and public/widget, which a concurrent test run or a running app in this checkout also use.
const tree = path.join(scratch, 'tree');
const inTree = (file: string) => path.join(tree, file);
function copyBuildInputs(): void {
  mkdirSync(inTree('scripts'), { recursive: true });
  cpSync('scripts/build-widget.mjs', inTree('scripts/build-widget.mjs'));
  cpSync('widget', inTree('widget'), { recursive: true, filter: (source) => !/[/\\](dist|node_modules)$/.test(source) });
  symlinkSync(path.resolve('node_modules'), inTree('node_modules'), 'dir');
}

describe('widget/package.json', () => {
  test('is publishable: not private, licensed, version in step with the app, no side effects, React an optional peer', () => {
    expect(pkg.private).toBeUndefined();
    expect(pkg.name).toBe('@copilot-headers/widget');
    expect(pkg.version).toBe(readJson<{ version: string }>('package.json').version);
    expect(pkg.license).toBe('MIT');
    expect(readFileSync('widget/LICENSE', 'utf8')).toContain('MIT License');
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.type).toBe('module');
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.peerDependencies).toEqual({ react: '>=18.2' });
    expect(pkg.peerDependenciesMeta).toEqual({ react: { optional: true } });
    expect(pkg.exports).toEqual({
      '.': { types: './dist/index.d.ts', import: './dist/index.js' },
      './react': { types: './dist/react.d.ts', import: './dist/react.js' },
      './package.json': './package.json',
    });
  });
});

describe('the packed widget', () => {
  let packed: Buffer;
  beforeAll(() => {
    copyBuildInputs();
    execFileSync(process.execPath, [inTree('scripts/build-widget.mjs')], { stdio: 'ignore' });
    packed = readFileSync(inTree('public/widget/copilot-headers-widget.tgz'));
  }, 120_000);

  test('npm run build serves the tarball at a stable and a versioned name, with a manifest naming its integrity', async () => {
    const manifest = await readWidgetPackage(tree);
    expect(manifest).toEqual({
      name: '@copilot-headers/widget',
      version: pkg.version,
      integrity: integrityOf(packed),
      tarball: '/widget/copilot-headers-widget.tgz',
      versionedTarball: `/widget/copilot-headers-widget-${pkg.version}.tgz`,
    });
    expect(readFileSync(inTree(`public${manifest!.versionedTarball}`)).equals(packed)).toBe(true);
  });

  test('npm pack in widget/ (its prepack builds dist) yields the same tarball, byte for byte', () => {
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: inTree('widget'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const [result] = JSON.parse(out) as { filename: string; integrity: string }[];
    expect(result!.integrity).toBe(integrityOf(packed));
    expect(readFileSync(path.join(scratch, result!.filename)).equals(packed)).toBe(true);
  }, 120_000);

  test('holds dist, README, LICENSE and package.json only — no sources, tests or maps — and every export target', () => {
    const listing = execFileSync('tar', ['-tzf', inTree('public/widget/copilot-headers-widget.tgz')], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(listing.filter((file) => !/^package\/dist\/[\w-]+\.(js|d\.ts)$/.test(file))).toEqual(['package/LICENSE', 'package/README.md', 'package/package.json']);
    for (const target of ['./dist/index.js', './dist/index.d.ts', './dist/react.js', './dist/react.d.ts']) expect(listing).toContain(`package/${target.slice(2)}`);
    expect(readFileSync(inTree('widget/dist/react.js'), 'utf8').startsWith('"use client";')).toBe(true);
  });

  test('stays within its size budgets: the React entry as an app bundles it, without React, ≤ 15 KB gzip; widget.js ≤ 60 KB gzip', async () => {
    expect((await bundledEntry(inTree('widget/dist/react.js'))).gzip).toBeLessThanOrEqual(WIDGET_REACT_ENTRY_GZIP_BUDGET_BYTES);
    expect(gzipSync(readFileSync(inTree('public/widget.js')), { level: 9 }).length).toBeLessThanOrEqual(WIDGET_GZIP_BUDGET_BYTES);
  });
});

describe('readWidgetPackage', () => {
  test('is null where nothing was packed (npm run dev) and refuses a manifest that is not one', async () => {
    const root = path.join(scratch, 'server-root');
    expect(await readWidgetPackage(root)).toBeNull();
    mkdirSync(path.join(root, path.dirname(WIDGET_PACKAGE_MANIFEST)), { recursive: true });
    writeFileSync(path.join(root, WIDGET_PACKAGE_MANIFEST), JSON.stringify({ name: 'x', version: '1', integrity: 'md5-abc', tarball: '/widget/x.tgz', versionedTarball: '/widget/x-1.tgz' }));
    await expect(readWidgetPackage(root)).rejects.toThrow(/integrity/);
    expect(existsSync(path.join(root, 'public/widget/copilot-headers-widget.tgz'))).toBe(false);
  });
});
