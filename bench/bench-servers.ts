// Processes and servers the runtime bench starts, each stopped by the bench itself.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const UPSTREAM_BODY = JSON.stringify({ id: 42, state: 'shipped', items: [{ sku: 'A-1', qty: 2 }] });

/** The API the copilot calls: a small JSON answer, keep-alive. */
export async function startUpstream(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(UPSTREAM_BODY) });
      res.end(UPSTREAM_BODY);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

export { freePort } from '@/test/fixtures/free-port';

/** Polls `url` until it answers 2xx, for at most `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${url}: the process exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export async function stopProcess(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** A built server entry (`dist/server.mjs` = npm start, `dist/runtime.mjs` = npm run runtime), its output passed to `log`. */
export function startEntry(entry: string, env: NodeJS.ProcessEnv, log: (chunk: string) => void, extraNodeArgs: string[] = []): ChildProcess {
  const nodeArgs = [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), ...extraNodeArgs]; // e.g. --cpu-prof
  const child = spawn(process.execPath, [...nodeArgs, entry], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (c: Buffer) => log(c.toString()));
  child.stderr?.on('data', (c: Buffer) => log(c.toString()));
  return child;
}

/** bench/bare-forwarder.mjs: node:http + undici forwarding to the upstream with one header added, nothing else. */
export function startBareForwarder(port: number, upstreamPort: number, apiKey: string): ChildProcess {
  return spawn(process.execPath, ['bench/bare-forwarder.mjs', String(port), `http://127.0.0.1:${upstreamPort}`, 'X-API-Key', apiKey, '/floor'], {
    cwd: process.cwd(),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export function nginxAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v nginx'], { stdio: 'ignore' }).status === 0;
}

/** nginx in the foreground as a reverse proxy that injects one header (upstream keep-alive on), the classic alternative. */
export function startNginx(dir: string, port: number, upstreamPort: number, apiKey: string): ChildProcess {
  mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'logs', 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${path.join(dir, 'client_body')};
  proxy_temp_path ${path.join(dir, 'proxy')};
  fastcgi_temp_path ${path.join(dir, 'fastcgi')};
  uwsgi_temp_path ${path.join(dir, 'uwsgi')};
  scgi_temp_path ${path.join(dir, 'scgi')};
  upstream api { server 127.0.0.1:${upstreamPort}; keepalive 32; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-API-Key "${apiKey}";
    }
  }
}
`,
  );
  return spawn('nginx', ['-p', dir, '-c', conf], { stdio: ['ignore', 'ignore', 'inherit'] });
}
