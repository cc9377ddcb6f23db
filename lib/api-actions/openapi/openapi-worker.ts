// Entry of the OpenAPI import worker (node:worker_threads): parses one document per message and posts
// the result back; the pool in openapi-sandbox.ts gives it one job at a time. Bundled to
// dist/openapi-worker.mjs by scripts/build-server.mjs; run from source (through tsx) in development and tests.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { parseOpenApiDocument } from './openapi-parse';

export type ImportJob = { source: string; apiBaseUrls: string[] };

// On Linux a thread has its own nice value (setpriority on the calling thread): imports yield the CPU to
// the main thread that serves requests. Elsewhere this call would lower the whole process, so it's skipped.
if (process.platform === 'linux') setPriority(10);

parentPort!.on('message', async (job: ImportJob) => {
  parentPort!.postMessage(await parseOpenApiDocument(job.source, { apiBaseUrls: job.apiBaseUrls }));
});
