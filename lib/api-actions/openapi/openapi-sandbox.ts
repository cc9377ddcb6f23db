// Runs OpenAPI imports in worker threads with a time and memory bound: the main thread's event loop
// never parses or dereferences a document, and a worker over its bounds is terminated (time) or dies
// (memory) alone, answering a refusal that names the limit. A worker that answered is kept for the next
// import (loading the parser costs far more than refusing a hostile document) and stopped when idle.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { logUnexpectedError } from '@/core/action-result';
import { limitMessage, OPENAPI_IMPORT_MEMORY_LIMIT_MB, OPENAPI_IMPORT_TIME_LIMIT_MS } from './openapi-limits';
import type { OpenApiImport } from './openapi-parse';
import type { ImportJob } from './openapi-worker';

export type SandboxLimits = { timeLimitMs: number; memoryLimitMb: number };

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = { timeLimitMs: OPENAPI_IMPORT_TIME_LIMIT_MS, memoryLimitMb: OPENAPI_IMPORT_MEMORY_LIMIT_MB };

const IDLE_WORKER_MS = 30_000;

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

type Pooled = { worker: Worker; memoryLimitMb: number; idleTimer?: NodeJS.Timeout };

/** Idle workers by heap limit (the concurrency gate in openapi-import.ts bounds how many are busy). */
const idle = new Map<number, Pooled[]>();

function spawn(memoryLimitMb: number): Pooled {
  const { code, url } = workerScript();
  const worker = new Worker(code, { eval: true, workerData: { url }, resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 } });
  const pooled: Pooled = { worker, memoryLimitMb };
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

export function runImportInWorker(job: ImportJob, limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS): Promise<OpenApiImport> {
  const pooled = takeIdle(limits.memoryLimitMb) ?? spawn(limits.memoryLimitMb);
  const { worker } = pooled;
  return new Promise((resolve) => {
    const finish = (result: OpenApiImport, reusable: boolean) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      resolve(result);
      if (reusable) keep(pooled);
      else retire(pooled);
    };
    const onMessage = (result: OpenApiImport) => finish(result, true);
    const onError = (error: NodeJS.ErrnoException) => finish(refusalFor(error, limits), false);
    const onExit = () => finish(refuse('The document could not be read (the import worker stopped). Try again.'), false);
    const timer = setTimeout(() => finish(refuse(limitMessage('time', `reading the document took longer than ${limits.timeLimitMs / 1000} s; it was stopped.`)), false), limits.timeLimitMs);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage(job);
  });
}

/** Workers kept for the next import (for tests and metrics). */
export function idleImportWorkers(): number {
  return [...idle.values()].reduce((n, list) => n + list.length, 0);
}
