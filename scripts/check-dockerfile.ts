// `npm run check:docker`: proves the Dockerfile builds and runs, on a machine without a Docker engine.
// It parses the Dockerfile (scripts/dockerfile/parse.ts refuses anything it doesn't interpret), replays
// every stage on a clean copy of the repository (tracked and new files, minus .dockerignore), checks the
// final stage holds production dependencies only, then starts the image's command (the dashboard) and
// the runtime role as the image's user against a fresh PostgreSQL database with generated keys, waits
// for readiness, runs the HEALTHCHECK and an operator command, stops both with SIGTERM expecting exit 0,
// and checks that .env.example's placeholders are refused at start-up.
// Env: CHECK_DOCKER_DATABASE_URL (an existing database to connect to for CREATE/DROP DATABASE; default
// postgres://postgres@127.0.0.1:5432/postgres), CHECK_DOCKER_PORT (default 4600; the runtime uses +1),
// CHECK_DOCKER_KEEP=1 keeps the temp folder.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { nodeMajorOf, parseDockerfile, type Dockerfile } from './dockerfile/parse';
import { isIgnored, parseDockerignore } from './dockerfile/paths';
import { replayDockerfile, type FinalStage } from './dockerfile/replay';

type Role = 'dashboard' | 'runtime';
type Env = Record<string, string | undefined>;
type Server = { role: Role; child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; output: () => string };

// What "ready" is polled on, per role: both entries answer /readyz (server/process/readiness.ts).
const READY_PATHS: Record<Role, string> = { dashboard: '/readyz', runtime: '/readyz' };
// The image's HEALTHCHECK probes /healthz, which both entries serve.
const RUNTIME_COMMAND = ['node', 'dist/runtime.mjs'];
const OPERATOR_COMMAND = ['node', '--conditions=react-server', 'dist/keys.mjs', 'status'];
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (message: string) => console.log(`[check:docker ${elapsed()}] ${message}`);
function fail(message: string): never {
  throw new Error(message);
}

function checkNodeVersion({ stages }: Dockerfile): void {
  const machine = Number(process.versions.node.split('.')[0]);
  for (const stage of stages) {
    const major = nodeMajorOf(stage.image);
    if (major === null) fail(`stage ${stage.name}: base image ${stage.image} is not node:<major>-…; the replay can stand in only for Node images`);
    if (major !== machine) fail(`stage ${stage.name}: base image ${stage.image} has Node ${major}, this machine runs Node ${machine}: the replay would not test what the image runs`);
  }
  say(`Node ${machine} here and in every base image`);
}

function hadolint(): void {
  if (spawnSync('sh', ['-c', 'command -v hadolint'], { stdio: 'ignore' }).status !== 0) return say('hadolint not installed: skipped');
  execFileSync('hadolint', [path.join(repo, 'Dockerfile')], { stdio: 'inherit' });
  say('hadolint: clean');
}

/** The build context: tracked and new (not git-ignored) files that exist, minus .dockerignore. */
function cleanContext(into: string): void {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean);
  const ignorePath = path.join(repo, '.dockerignore');
  const rules = existsSync(ignorePath) ? parseDockerignore(readFileSync(ignorePath, 'utf8')) : [];
  let count = 0;
  for (const file of new Set(listed)) {
    if (isIgnored(file, rules) || !existsSync(path.join(repo, file))) continue;
    mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
    cpSync(path.join(repo, file), path.join(into, file), { verbatimSymlinks: true });
    count++;
  }
  say(`build context: ${count} files`);
}

/** Every top-level package in the final node_modules must be one the lockfile does not mark dev-only. */
function checkProductionDependencies(final: FinalStage): void {
  const lock = (JSON.parse(readFileSync(path.join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> }).packages;
  const modules = path.join(final.cwd, 'node_modules');
  if (!existsSync(modules)) fail('the final stage has no node_modules');
  const names = readdirSync(modules).filter((n) => !n.startsWith('.')).flatMap((n) => (n.startsWith('@') ? readdirSync(path.join(modules, n)).map((s) => `${n}/${s}`) : [n]));
  const dev = names.filter((n) => lock[`node_modules/${n}`]?.dev === true);
  if (dev.length) fail(`the final stage holds development dependencies: ${dev.slice(0, 10).join(', ')}${dev.length > 10 ? ' …' : ''}`);
  say(`final stage: ${names.length} production packages, no development dependency`);
}

function psql(adminUrl: string, statement: string): void {
  execFileSync('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-qc', statement], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function asUser(final: FinalStage): { uid?: number; gid?: number } {
  return final.user && process.getuid?.() === 0 ? { uid: final.user.uid, gid: final.user.gid } : {};
}

function start(role: Role, command: string[], final: FinalStage, env: Env): Server {
  const output: Buffer[] = [];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: final.cwd,
    env: env as NodeJS.ProcessEnv,
    ...asUser(final),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => output.push(chunk));
  const exited: Server['exited'] = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { role, child, exited, output: () => Buffer.concat(output).toString('utf8') };
}

async function waitFor(server: Server, url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const done = await Promise.race([server.exited, sleep(500, null, { ref: false })]);
    if (done) fail(`${server.role} exited (${done.signal ?? done.code}) before ${url} answered:\n${server.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return say(`${server.role}: ${url} → 200`);
      last = `status ${res.status}`;
    } catch (error) {
      const { cause, message } = error as Error & { cause?: { code?: string } };
      last = cause?.code ?? message;
    }
  }
  fail(`${server.role}: ${url} did not answer 200 within ${READY_TIMEOUT_MS / 1000} s (last: ${last}):\n${server.output()}`);
}

async function stop(server: Server): Promise<void> {
  server.child.kill('SIGTERM');
  // Unreferenced: a timer left over from this race must not keep the check alive after the servers exited.
  const result = await Promise.race([server.exited, sleep(STOP_TIMEOUT_MS, null, { ref: false })]);
  if (!result) {
    server.child.kill('SIGKILL');
    fail(`${server.role} did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM:\n${server.output()}`);
  }
  if (result.code !== 0) fail(`${server.role} exited with ${result.signal ?? result.code} after SIGTERM, not 0:\n${server.output()}`);
  say(`${server.role}: SIGTERM → exit 0`);
}

function runInImage(label: string, command: string[], final: FinalStage, env: Env): void {
  const result = spawnSync(command[0]!, command.slice(1), { cwd: final.cwd, env: env as NodeJS.ProcessEnv, encoding: 'utf8', ...asUser(final) });
  if (result.status !== 0) fail(`${label} (${command.join(' ')}) exited with ${result.status}:\n${result.stdout}${result.stderr}`);
  say(`${label}: ${command.join(' ')} → exit 0`);
}

/**
 * .env.example's secret placeholders must stop the dashboard at start-up, naming the variable: one start
 * per placeholder, with every other variable valid. (POSTGRES_PASSWORD belongs to compose's database.)
 */
function checkPlaceholdersRefused(final: FinalStage, command: string[], env: Env): void {
  const example = parseEnv(readFileSync(path.join(repo, '.env.example'), 'utf8'));
  const placeholders = Object.keys(example).filter((name) => example[name]!.includes('REPLACE_ME') && name !== 'POSTGRES_PASSWORD');
  if (placeholders.length === 0) fail('.env.example has no REPLACE_ME placeholders for the secrets');
  for (const name of placeholders) {
    const result = spawnSync(command[0]!, command.slice(1), {
      cwd: final.cwd,
      env: { ...env, [name]: example[name] } as NodeJS.ProcessEnv,
      encoding: 'utf8',
      timeout: 60_000,
      ...asUser(final),
    });
    const output = `${result.stdout}${result.stderr}`;
    if (result.status !== 1 || !output.includes('cannot start') || !output.includes(name)) {
      fail(`the dashboard with .env.example's ${name} should stop at start-up naming it; it gave ${result.status ?? result.signal}:\n${output}`);
    }
  }
  say(`.env.example: the dashboard refuses each placeholder at start-up, naming it (${placeholders.join(', ')})`);
}

async function main(): Promise<void> {
  const dockerfile = parseDockerfile(readFileSync(path.join(repo, 'Dockerfile'), 'utf8'));
  checkNodeVersion(dockerfile);
  hadolint();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'check-dockerfile-'));
  chmodSync(tmp, 0o755); // the image's user must reach its files
  const adminUrl = process.env.CHECK_DOCKER_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `ch_check_docker_${process.pid}_${Date.now()}`;
  const servers: Server[] = [];
  let created = false;
  // Ctrl-C or a CI timeout: the servers go, the database and the temp folder are removed.
  const interrupted = new Promise<never>((_, reject) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => reject(new Error(`interrupted by ${signal}`)));
  });
  interrupted.catch(() => undefined);
  const steps = async (): Promise<void> => {
    cleanContext(path.join(tmp, 'context'));
    const final = await replayDockerfile(dockerfile, { contextDir: path.join(tmp, 'context'), workDir: path.join(tmp, 'stages'), log: say });
    const cmd = final.cmd ?? fail('the final stage has no CMD');
    if (!final.user || final.user.uid === 0) fail('the final stage must run as a non-root USER');
    const healthcheck = final.healthcheck ?? fail('the final stage has no HEALTHCHECK');
    checkProductionDependencies(final);

    psql(adminUrl, `CREATE DATABASE ${database}`);
    created = true;
    const port = Number(process.env.CHECK_DOCKER_PORT ?? 4600);
    const databaseUrl = new URL(adminUrl);
    databaseUrl.pathname = `/${database}`;
    // Production-like: the image's ENV, then what an operator sets (compose.yaml / .env.example).
    const env = {
      PATH: process.env.PATH,
      ...final.env,
      HOSTNAME: '127.0.0.1',
      PORT: String(port),
      RUNTIME_PORT: String(port + 1),
      DATABASE_URL: databaseUrl.href,
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: randomBytes(32).toString('base64'),
      ENCRYPTION_KEYS: `1:${randomBytes(32).toString('base64')}`,
      FINGERPRINT_KEY: randomBytes(32).toString('base64'),
    };
    const dashboard = start('dashboard', cmd, final, env);
    servers.push(dashboard);
    await waitFor(dashboard, `http://127.0.0.1:${port}${READY_PATHS.dashboard}`);
    const page = await fetch(`http://127.0.0.1:${port}/sign-in`, { redirect: 'manual' });
    if (page.status >= 400) fail(`dashboard: GET /sign-in → ${page.status}:\n${dashboard.output()}`);
    say(`dashboard: GET /sign-in → ${page.status} (Next.js pages render as the image's user)`);
    const runtime = start('runtime', RUNTIME_COMMAND, final, env);
    servers.push(runtime);
    await waitFor(runtime, `http://127.0.0.1:${port + 1}${READY_PATHS.runtime}`);
    // The HEALTHCHECK command as Docker runs it: inside the container, as its user, with its env.
    runInImage('HEALTHCHECK, dashboard', healthcheck.command, final, env);
    runInImage('HEALTHCHECK, runtime', [...healthcheck.command, String(port + 1)], final, env);
    runInImage('operator command', OPERATOR_COMMAND, final, env);
    await stop(runtime);
    await stop(dashboard);
    servers.length = 0;
    checkPlaceholdersRefused(final, cmd, { ...env, PORT: String(port + 2) });
    say('OK: the Dockerfile builds, both roles start, answer and stop cleanly');
  };
  try {
    await Promise.race([steps(), interrupted]);
  } finally {
    for (const server of servers) server.child.kill('SIGKILL');
    if (created) psql(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    if (process.env.CHECK_DOCKER_KEEP === '1') say(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  say(`done: ${elapsed()} in all, cleanup included`);
}

main().catch((error: unknown) => {
  console.error(`[check:docker ${elapsed()}] FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
