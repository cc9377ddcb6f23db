// Runs one OpenAPI import in a worker thread with a time and memory bound: the main thread's event loop
// never parses or dereferences a document, and a worker over its bounds is terminated (time) or dies
// (memory) alone, answering a refusal that names the limit.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { logUnexpectedError } from '@/core/action-result';
import { limitMessage, OPENAPI_IMPORT_MEMORY_LIMIT_MB, OPENAPI_IMPORT_TIME_LIMIT_MS } from './openapi-limits';
import type { OpenApiImport } from './openapi-parse';
import type { ImportJob } from './openapi-worker';

export type SandboxLimits = { timeLimitMs: number; memoryLimitMb: number };

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = { timeLimitMs: OPENAPI_IMPORT_TIME_LIMIT_MS, memoryLimitMb: OPENAPI_IMPORT_MEMORY_LIMIT_MB };

/**
 * Next.js and esbuild bundle server code, so the worker's file is found from the working directory
 * (npm scripts run from the project root): the production build's dist/openapi-worker.mjs, otherwise
 * the TypeScript source, loaded through tsx (`npm run dev`, vitest, benchmarks).
 */
function workerScript(): { code: string; workerData: { url: string } } {
  const built = join(process.cwd(), 'dist', 'openapi-worker.mjs');
  if (process.env.NODE_ENV === 'production' || !existsSync(join(process.cwd(), 'core', 'engine', 'openapi-worker.ts'))) {
    return { code: 'import(require("node:worker_threads").workerData.url)', workerData: { url: pathToFileURL(built).href } };
  }
  const source = join(process.cwd(), 'core', 'engine', 'openapi-worker.ts');
  return {
    code: 'import("tsx/esm/api").then((tsx) => { tsx.register(); return import(require("node:worker_threads").workerData.url); })',
    workerData: { url: pathToFileURL(source).href },
  };
}

function refuse(message: string): OpenApiImport {
  return { ok: false, message };
}

export function runImportInWorker(job: ImportJob, limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS): Promise<OpenApiImport> {
  const script = workerScript();
  const resourceLimits: ResourceLimits = { maxOldGenerationSizeMb: limits.memoryLimitMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 };
  return new Promise((resolve) => {
    let settled = false;
    const worker = new Worker(script.code, { eval: true, workerData: { ...script.workerData, ...job }, resourceLimits });
    const finish = (result: OpenApiImport) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
      void worker.terminate();
    };
    const timer = setTimeout(
      () => finish(refuse(limitMessage('time', `reading the document took longer than ${limits.timeLimitMs / 1000} s; it was stopped.`))),
      limits.timeLimitMs,
    );
    worker.once('message', (result: OpenApiImport) => finish(result));
    worker.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') finish(refuse(limitMessage('memory', `reading the document needed more than ${limits.memoryLimitMb} MiB; it was stopped.`)));
      else {
        const reference = logUnexpectedError(error, 'OpenAPI import worker');
        finish(refuse(`The document could not be read (the import worker failed, reference ${reference}). Try again; if it keeps happening, give the reference to an administrator.`));
      }
    });
    worker.once('exit', () => finish(refuse('The document could not be read (the import worker stopped). Try again.')));
  });
}
