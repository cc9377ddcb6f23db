// Runs OpenAPI imports in worker threads with a time and memory bound: the main thread's event loop
// never parses or dereferences a document, and a worker over its bounds is terminated (time) or dies
// (memory) alone, answering a refusal that names the limit. A worker that answered is kept for the next
// import (loading the parser costs far more than refusing a hostile document) and stopped when idle.
//
// The time limit counts the processor time of the worker's thread, read from /proc on Linux: a worker runs
// at a lower priority than the requests the server answers (openapi-worker.ts), so on a busy server a small
// document could wait many seconds for a core — that wait is not the document's cost. Wall-clock time has
// its own, much higher backstop. Elsewhere (no /proc) the time limit is wall-clock time.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { logUnexpectedError } from '@/core/action-result';
import { limitMessage, OPENAPI_IMPORT_MEMORY_LIMIT_MB, OPENAPI_IMPORT_TIME_LIMIT_MS, OPENAPI_IMPORT_WALL_LIMIT_MS } from './openapi-limits';
import type { OpenApiImport } from './openapi-parse';
import type { ImportJob } from './openapi-worker';

/** `timeLimitMs`: processor time of the worker's thread; `wallLimitMs`: time on the clock, however busy the server. */
export type SandboxLimits = { timeLimitMs: number; memoryLimitMb: number; wallLimitMs?: number };

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = { timeLimitMs: OPENAPI_IMPORT_TIME_LIMIT_MS, memoryLimitMb: OPENAPI_IMPORT_MEMORY_LIMIT_MB, wallLimitMs: OPENAPI_IMPORT_WALL_LIMIT_MS };

const IDLE_WORKER_MS = 30_000;
/** How often a running import's time is checked. */
const CHECK_EVERY_MS = 25;
/** Linux reports a thread's times in clock ticks of 1/100 s (USER_HZ, fixed at 100 for user space). */
const MS_PER_CLOCK_TICK = 10;

/** Linux: each thread's processor time can be read (a new worker says where, before the parser loads). */
const THREAD_TIMES_READABLE = existsSync('/proc/thread-self/stat');

/** The first message of a new worker: where Linux counts its thread's processor time. */
type ThreadNotice = { threadStat: string };

function isThreadNotice(message: unknown): message is ThreadNotice {
  return typeof message === 'object' && message !== null && 'threadStat' in message;
}

/** Processor time (user + system, ms) a thread has used, from its /proc stat file; undefined when unreadable. */
function threadCpuMs(statPath: string): number | undefined {
  try {
    const stat = readFileSync(statPath, 'latin1');
    // After "pid (comm) ": state is field 3, utime field 14, stime field 15 (proc(5)); comm may hold spaces or ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * MS_PER_CLOCK_TICK : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Next.js and esbuild bundle server code, so the worker's file is found from the working directory
 * (npm scripts run from the project root): the production build's dist/openapi-worker.mjs, otherwise
 * the TypeScript source, loaded through tsx (`npm run dev`, vitest, benchmarks).
 */
function workerScript(): { code: string; url: string } {
  const source = join(process.cwd(), 'lib', 'api-actions', 'openapi', 'openapi-worker.ts');
  if (process.env.NODE_ENV === 'production' || !existsSync(source)) {
    return { code: 'import(require("node:worker_threads").workerData.url)', url: pathToFileURL(join(process.cwd(), 'dist', 'openapi-worker.mjs')).href };
  }
  return { code: 'import("tsx/esm/api").then((tsx) => { tsx.register(); return import(require("node:worker_threads").workerData.url); })', url: pathToFileURL(source).href };
}

type Pooled = { worker: Worker; memoryLimitMb: number; idleTimer?: NodeJS.Timeout; threadStat?: string };

/** Idle workers by heap limit (the concurrency gate in openapi-import.ts bounds how many are busy). */
const idle = new Map<number, Pooled[]>();

/** First thing in a new worker, before the parser loads: say where its thread's processor time is counted. */
const ANNOUNCE_THREAD =
  'try { require("node:worker_threads").parentPort.postMessage({ threadStat: "/proc/" + require("node:fs").readlinkSync("/proc/thread-self") + "/stat" }); } catch {}';

function spawn(memoryLimitMb: number): Pooled {
  const { code, url } = workerScript();
  const worker = new Worker(`${ANNOUNCE_THREAD}\n${code}`, { eval: true, workerData: { url }, resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 } });
  const pooled: Pooled = { worker, memoryLimitMb };
  worker.on('message', (message) => {
    if (isThreadNotice(message) && threadCpuMs(message.threadStat) !== undefined) pooled.threadStat = message.threadStat;
  });
  worker.unref(); // an idle worker never keeps the process alive; a running import's timer does
  worker.on('error', () => {}); // answered per job below; an idle worker's error only retires it
  worker.once('exit', () => retire(pooled));
  return pooled;
}

function retire(pooled: Pooled): void {
  clearTimeout(pooled.idleTimer);
  const list = idle.get(pooled.memoryLimitMb) ?? [];
  if (list.includes(pooled)) list.splice(list.indexOf(pooled), 1);
  void pooled.worker.terminate();
}

function takeIdle(memoryLimitMb: number): Pooled | undefined {
  const pooled = idle.get(memoryLimitMb)?.pop();
  if (pooled) clearTimeout(pooled.idleTimer);
  return pooled;
}

function keep(pooled: Pooled): void {
  pooled.idleTimer = setTimeout(() => retire(pooled), IDLE_WORKER_MS).unref();
  idle.set(pooled.memoryLimitMb, [...(idle.get(pooled.memoryLimitMb) ?? []), pooled]);
}

function refuse(message: string): OpenApiImport {
  return { ok: false, message };
}

function refusalFor(error: NodeJS.ErrnoException, limits: SandboxLimits): OpenApiImport {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') return refuse(limitMessage('memory', `reading the document needed more than ${limits.memoryLimitMb} MiB; it was stopped.`));
  const reference = logUnexpectedError(error, 'OpenAPI import worker');
  return refuse(`The document could not be read (the import worker failed, reference ${reference}). Try again; if it keeps happening, give the reference to an administrator.`);
}

/**
 * The processor time (ms) this job's worker has used since the job started; a new worker's start-up counts
 * (it starts for this job). Undefined where the thread's time can't be read: then the clock counts instead.
 */
function cpuMeter(pooled: Pooled): () => number | undefined {
  const reusedFrom = pooled.threadStat === undefined ? 0 : threadCpuMs(pooled.threadStat);
  return () => {
    const now = pooled.threadStat === undefined || reusedFrom === undefined ? undefined : threadCpuMs(pooled.threadStat);
    return now === undefined ? undefined : now - reusedFrom!;
  };
}

export function runImportInWorker(job: ImportJob, limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS): Promise<OpenApiImport> {
  const pooled = takeIdle(limits.memoryLimitMb) ?? spawn(limits.memoryLimitMb);
  const { worker } = pooled;
  const wallLimitMs = Math.max(limits.wallLimitMs ?? OPENAPI_IMPORT_WALL_LIMIT_MS, limits.timeLimitMs);
  const started = Date.now();
  const cpuUsedMs = cpuMeter(pooled);
  return new Promise((resolve) => {
    const finish = (result: OpenApiImport, reusable: boolean) => {
      clearInterval(check);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      resolve(result);
      if (reusable) keep(pooled);
      else retire(pooled);
    };
    const onMessage = (message: OpenApiImport | ThreadNotice) => {
      if (!isThreadNotice(message)) finish(message, true);
    };
    const onError = (error: NodeJS.ErrnoException) => finish(refusalFor(error, limits), false);
    const onExit = () => finish(refuse('The document could not be read (the import worker stopped). Try again.'), false);
    const check = setInterval(() => {
      const elapsedMs = Date.now() - started;
      const cpuMs = cpuUsedMs();
      // Until a new worker has said where its time is counted, only the backstop below applies.
      const overTime = cpuMs !== undefined ? cpuMs > limits.timeLimitMs : !THREAD_TIMES_READABLE && elapsedMs > limits.timeLimitMs;
      if (overTime) {
        finish(refuse(limitMessage('time', `reading the document needed more than ${limits.timeLimitMs / 1000} s of processor time; it was stopped.`)), false);
      } else if (elapsedMs > wallLimitMs) {
        finish(refuse(limitMessage('time', `the server was too busy to read the document within ${wallLimitMs / 1000} s; it was stopped. Try again in a while.`)), false);
      }
    }, CHECK_EVERY_MS);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage(job);
  });
}

/** The /proc stat files of the idle workers' threads (tests starve a worker through them). */
export function idleImportWorkerThreads(): string[] {
  return [...idle.values()].flat().flatMap((pooled) => (pooled.threadStat ? [pooled.threadStat] : []));
}

/** Workers kept for the next import (for tests and metrics). */
export function idleImportWorkers(): number {
  return [...idle.values()].reduce((n, list) => n + list.length, 0);
}
