// Where the replay of a Dockerfile puts the image's paths, and which context files COPY may see.
import path from 'node:path';
import type { Stage } from './parse';

/**
 * The top-level folders the Dockerfile itself owns: the first segment of every WORKDIR, COPY
 * destination, VOLUME, cache-mount target and absolute ENV value (e.g. /app, /data, /root). Only these are rewritten into
 * the replay's stage folder; other absolute paths (/usr/local/bin, /tmp) stay the machine's own — the
 * machine's Node stands in for the base image's.
 */
export function imageRoots(stages: Stage[]): string[] {
  const roots = new Set<string>();
  const add = (p: string) => {
    if (p?.startsWith('/') && p.length > 1) roots.add(`/${p.split('/')[1]}`);
  };
  for (const stage of stages) {
    for (const ins of stage.instructions) {
      if (ins.op === 'WORKDIR') add(ins.path);
      if (ins.op === 'COPY') add(ins.dest);
      if (ins.op === 'VOLUME') ins.paths.forEach(add);
      if (ins.op === 'RUN' && ins.mount) add(ins.mount.target);
      if (ins.op === 'ENV') Object.values(ins.vars).forEach(add);
    }
  }
  return [...roots].sort((a, b) => b.length - a.length);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Rewrites every image path under one of `roots` in `text` (a RUN command, an ENV value) to the same
 * path under `stageDir`: "mkdir -p /data" → "mkdir -p <stageDir>/data". A root matches only as a whole
 * path segment at the start of a word, so "/database" or "http://host/app" are left alone.
 */
export function rewritePaths(text: string, roots: string[], stageDir: string): string {
  if (roots.length === 0) return text;
  const re = new RegExp(`(^|[\\s=:'"(,;&|])(${roots.map(escape).join('|')})(?=[/\\s'":;,)&|]|$)`, 'g');
  return text.replace(re, (_, before: string, root: string) => `${before}${path.join(stageDir, root)}`);
}

/** Folders of the machine a RUN line may name as they are: the system's (the base image has them too). */
const SYSTEM_ROOTS = new Set(['/dev', '/tmp', '/usr', '/bin']);

/**
 * Absolute paths in a RUN line that are neither the image's own (rewritten) nor the system's: the replay
 * would touch the machine's own folder there, so it refuses the line instead ("declare it with WORKDIR,
 * VOLUME or ENV").
 */
export function foreignPaths(command: string, roots: string[]): string[] {
  const found = [...command.matchAll(/(?:^|[\s=:'"(,;&|<>])(\/[A-Za-z0-9._-]+)/g)].map((m) => m[1]!);
  return [...new Set(found.filter((p) => !roots.includes(p) && !SYSTEM_ROOTS.has(p)))];
}

/** One image path mapped into the stage folder (relative paths resolve against the stage's WORKDIR). */
export function inStage(stageDir: string, workdir: string, imagePath: string): string {
  return path.join(stageDir, path.posix.resolve(workdir, imagePath));
}

/** .dockerignore rules: [{ pattern, negate }], in file order. */
export type IgnoreRule = { pattern: string; negate: boolean };

export function parseDockerignore(text: string): IgnoreRule[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = path.posix.normalize((negate ? l.slice(1) : l).trim()).replace(/^\/+|\/+$/g, '');
      return { pattern, negate };
    });
}

/**
 * Docker's rule: the last pattern that matches the file, or any folder above it, decides; "!" re-includes.
 * `file` is relative to the context root, with "/" separators.
 */
export function isIgnored(file: string, rules: IgnoreRule[]): boolean {
  const parts = file.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const { pattern, negate } of rules) {
    if (candidates.some((c) => path.posix.matchesGlob(c, pattern))) ignored = !negate;
  }
  return ignored;
}
