import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SEARCHED = ['app', 'lib', 'components'];
// A 'use server' directive at the top of the module, after any comments.
const USE_SERVER = /^(?:\s+|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*['"]use server['"]/;

export type DiscoveredAction = { name: string; file: string; fn: (input: never) => Promise<unknown> };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Every function exported by a `'use server'` module of the app: each one is a public POST endpoint. */
export async function discoverServerActions(): Promise<DiscoveredAction[]> {
  const files = SEARCHED.flatMap((dir) => sourceFiles(path.join(ROOT, dir))).filter((file) => USE_SERVER.test(readFileSync(file, 'utf8')));
  const found: DiscoveredAction[] = [];
  for (const file of files) {
    const exports = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value === 'function') found.push({ name, file: path.relative(ROOT, file), fn: value as DiscoveredAction['fn'] });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
