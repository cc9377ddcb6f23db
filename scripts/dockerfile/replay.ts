// Replays a parsed Dockerfile (./parse.ts) in plain folders, stage by stage: each stage's "/" is a
// folder of its own, its WORKDIR/COPY/VOLUME paths live inside it (./paths.ts), RUN lines run there with
// the stage's ENV through `sh -c`, and the machine's Node stands in for the base image's.
import { spawn } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Dockerfile, Instruction } from './parse';
import { foreignPaths, imageRoots, inStage, rewritePaths } from './paths';

/** A replayed stage: its folder, and what its instructions recorded. */
export type ReplayedStage = {
  name: string;
  image: string;
  dir: string;
  /** The image path of the last WORKDIR. */
  workdir: string;
  env: Record<string, string>;
  user: { uid: number; gid: number } | null;
  cmd: string[] | null;
  healthcheck: Extract<Instruction, { op: 'HEALTHCHECK' }> | null;
  expose: number[];
  volumes: string[];
};

/** The final stage, with its WORKDIR as a folder (`cwd`) and image paths in `env` rewritten. */
export type FinalStage = ReplayedStage & { cwd: string; roots: string[] };

function run(command: string, { cwd, env }: { cwd: string; env: Record<string, string | undefined> }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env: env as NodeJS.ProcessEnv, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`exited with ${signal ?? code}`))));
  });
}

/**
 * A cache mount is a folder that outlives builds. The replay uses the machine's own folder at the same
 * path when it already exists and may be written (as root, /root/.npm is npm's cache), else one under
 * the temp folder; it never creates a folder elsewhere on the machine.
 */
function cacheFolder(target: string): string {
  try {
    accessSync(target, constants.W_OK);
    if (statSync(target).isDirectory()) return target;
  } catch {
    // not there, or not ours: fall through
  }
  const fallback = path.join(os.tmpdir(), 'check-dockerfile-cache', target);
  mkdirSync(fallback, { recursive: true });
  return fallback;
}

/**
 * COPY --from between stages: the same tree, its files hard-linked rather than rewritten (node_modules is
 * ~700 MB; a byte copy of it took most of a minute on a busy machine). Equivalent to Docker's copy as long
 * as no later step rewrites a file in place: steps that replace or delete files (npm prune, rm) unlink
 * only their own stage's name, and the final stage's files are read-only to its user.
 */
function linkTree(from: string, to: string): void {
  const stat = lstatSync(from);
  if (stat.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else if (stat.isDirectory()) {
    mkdirSync(to, { recursive: true, mode: stat.mode & 0o7777 });
    for (const entry of readdirSync(from)) linkTree(path.join(from, entry), path.join(to, entry));
  } else {
    rmSync(to, { force: true }); // COPY replaces a file already there
    linkSync(from, to);
  }
}

function copy(ins: Extract<Instruction, { op: 'COPY' }>, stage: ReplayedStage, stages: ReplayedStage[], contextDir: string): void {
  const sourceRoot = ins.from === null ? contextDir : stages[ins.from]!.dir;
  const destination = inStage(stage.dir, stage.workdir, ins.dest);
  for (const src of ins.sources) {
    const from = path.join(sourceRoot, src);
    if (!existsSync(from)) throw new Error(`line ${ins.line}: COPY source "${src}" does not exist${ins.from === null ? ' in the build context' : ` in stage ${stages[ins.from]!.name}`}`);
    // Docker: a folder's contents go into the destination; a file goes into it when it ends in "/" (or
    // there are several sources), else becomes it. Symbolic links are copied as links (node_modules/.bin).
    const target = statSync(from).isDirectory() || !(ins.dest.endsWith('/') || ins.sources.length > 1) ? destination : path.join(destination, path.basename(src));
    mkdirSync(path.dirname(target), { recursive: true });
    if (ins.from === null) cpSync(from, target, { recursive: true, verbatimSymlinks: true });
    else linkTree(from, target);
  }
}

/**
 * Builds every stage into `workDir/<n>-<name>/`. Returns the last stage: { name, dir, workdir (image
 * path), cwd (folder), env (image paths rewritten), user, cmd, healthcheck, expose, volumes }.
 */
export async function replayDockerfile(
  { stages: parsed }: Dockerfile,
  { contextDir, workDir, log = console.log }: { contextDir: string; workDir: string; log?: (message: string) => void },
): Promise<FinalStage> {
  const roots = imageRoots(parsed);
  const stages: ReplayedStage[] = [];
  for (const [index, { name, image, instructions }] of parsed.entries()) {
    const stage: ReplayedStage = { name, image, dir: path.join(workDir, `${index}-${name}`), workdir: '/', env: {}, user: null, cmd: null, healthcheck: null, expose: [], volumes: [] };
    mkdirSync(stage.dir, { recursive: true });
    stages.push(stage);
    log(`stage ${name} (${image})`);
    for (const ins of instructions) {
      switch (ins.op) {
        case 'WORKDIR':
          stage.workdir = ins.path;
          mkdirSync(inStage(stage.dir, '/', ins.path), { recursive: true });
          break;
        case 'ENV':
          Object.assign(stage.env, ins.vars);
          break;
        case 'COPY':
          copy(ins, stage, stages, contextDir);
          break;
        case 'RUN': {
          const foreign = foreignPaths(ins.command, roots);
          if (foreign.length) throw new Error(`line ${ins.line}: RUN names ${foreign.join(', ')}, a folder the replay would take from this machine; declare it (WORKDIR, VOLUME or ENV) so it is the image's`);
          if (stage.user) throw new Error(`line ${ins.line}: RUN after USER is not replayed (the user's home and rights come from the base image)`);
          // The mount exists for this RUN only and is not part of the stage's files.
          const mount = ins.mount;
          const mounted = mount ? inStage(stage.dir, '/', mount.target) : null;
          if (mount && mounted) {
            mkdirSync(path.dirname(mounted), { recursive: true });
            symlinkSync(cacheFolder(mount.target), mounted);
          }
          const command = rewritePaths(ins.command, roots, stage.dir);
          log(`  RUN ${ins.command}`);
          const env = { PATH: process.env.PATH, HOME: inStage(stage.dir, '/', '/root'), ...rewriteEnv(stage.env, roots, stage.dir) };
          await run(command, { cwd: inStage(stage.dir, '/', stage.workdir), env }).catch((error: Error) => {
            throw new Error(`line ${ins.line}: RUN ${ins.command}: ${error.message}`);
          });
          if (mounted) unlinkSync(mounted);
          break;
        }
        case 'USER':
          stage.user = { uid: ins.uid, gid: ins.gid };
          break;
        case 'EXPOSE':
          stage.expose.push(...ins.ports);
          break;
        case 'VOLUME':
          stage.volumes.push(...ins.paths);
          ins.paths.forEach((p) => mkdirSync(inStage(stage.dir, '/', p), { recursive: true }));
          break;
        case 'HEALTHCHECK':
          stage.healthcheck = ins;
          break;
        case 'CMD':
          stage.cmd = ins.command;
          break;
        default:
          throw new Error(`line ${(ins as Instruction).line}: ${(ins as Instruction).op} is not replayed`);
      }
    }
  }
  const last = stages.at(-1)!;
  return { ...last, cwd: inStage(last.dir, '/', last.workdir), env: rewriteEnv(last.env, roots, last.dir), roots };
}

export function rewriteEnv(env: Record<string, string>, roots: string[], stageDir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, rewritePaths(v, roots, stageDir)]));
}
