// The image's HEALTHCHECK (see Dockerfile): exit 0 when this container's server answers 200 on /healthz
// (alive), 1 otherwise. No curl in the slim image, so plain Node. Port: the first argument, else PORT,
// else 3000; the runtime role (`node dist/runtime.mjs`) passes its RUNTIME_PORT, e.g. 3001.
const port = process.argv[2] ?? process.env.PORT ?? '3000';
const path = process.argv[3] ?? '/healthz';

try {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2_500) });
  process.exit(res.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
