// How `npm run demo` starts (or refuses to start) the app, with a real demo process. The dev server's
// stylesheet used to depend on every source-like file in the project (Tailwind's automatic detection).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import postcss from 'postcss';
import tailwind from '@tailwindcss/postcss';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './fixtures/free-port';
import { outputUntilExit } from './fixtures/process-output';

const root = process.cwd();
const started: ChildProcess[] = [];

afterAll(async () => {
  for (const child of started) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
  }
});

function startDemo(args: string[], env: Record<string, string> = {}): ChildProcess {
  // As a person runs it: no test settings (NODE_ENV=test, the test machine's private hosts) leak in.
  const inherited: Record<string, string | undefined> = { ...process.env, RUNTIME_PRIVATE_HOSTS: '', ...env };
  delete inherited.NODE_ENV;
  delete inherited.VITEST;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], {
    cwd: root,
    env: inherited as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  return child;
}

async function demoPorts() {
  return { app: await freePort(), api: await freePort(), site: await freePort(), model: await freePort() };
}

describe('npm run demo: starting the app', () => {
  it("[DEMO]: the dashboard's stylesheet depends on app/ and components/ only, so a write elsewhere in the project (the demo, the database folder, tests) never recompiles the open dashboard", async () => {
    const from = path.join(root, 'app', 'globals.css');
    const result = await postcss([tailwind()]).process(readFileSync(from, 'utf8'), { from });
    const watched = result.messages.flatMap((m) => (m.type === 'dir-dependency' ? [m.dir as string] : m.type === 'dependency' ? [m.file as string] : []));
    expect(watched.length).toBeGreaterThan(10);
    const outside = watched.filter((file) => !['app', 'components', 'tailwind.config.ts', 'node_modules'].some((top) => file.startsWith(path.join(root, top))));
    expect(outside).toEqual([]);
  });

  it('[DEMO]: with an app already answering on its port, the demo starts nothing and stops with one instruction', async () => {
    const ports = await demoPorts();
    const app: Server = createServer((req, res) => res.end(req.url === '/api/health' ? '{"ok":true}' : ''));
    await new Promise<void>((resolve) => app.listen(ports.app, '127.0.0.1', resolve));
    try {
      const child = startDemo(['--fake-model', '--port', String(ports.app), '--api-port', String(ports.api), '--site-port', String(ports.site), '--model-port', String(ports.model)]);
      const { code, output } = await outputUntilExit(child, { timeoutMs: 60_000 });
      expect(code).toBe(3);
      expect(output).toContain('Stop that app (Ctrl+C in its terminal) and run');
      expect(output).toContain(`RUNTIME_PRIVATE_HOSTS=127.0.0.1:${ports.api},127.0.0.1:${ports.model}`);
      expect(output).not.toContain('Next steps');
      // Nothing of the demo was left listening.
      expect(await fetch(`http://127.0.0.1:${ports.api}/health`).then(() => true, () => false)).toBe(false);
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
  });
});
