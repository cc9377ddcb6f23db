// Entry of the OpenAPI import worker (node:worker_threads): parses one document and posts the result.
// Bundled to dist/openapi-worker.mjs by scripts/build-server.mjs; run from source (through tsx) in
// development and tests. See openapi-sandbox.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { parseOpenApiDocument } from './openapi-parse';

export type ImportJob = { source: string; apiBaseUrls: string[] };

const job = workerData as ImportJob;
parentPort!.postMessage(await parseOpenApiDocument(job.source, { apiBaseUrls: job.apiBaseUrls }));
