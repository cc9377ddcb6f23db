// `npm run demo`: everything to try the copilot from a real web page, on this machine.
//   - the app on PORT (default 3000), started with `npm run dev` and RUNTIME_PRIVATE_HOSTS naming the demo's
//     servers; an app that already answers there was started without them, so the demo stops and says so
//     (--use-running-app: you restarted it with that setting yourself);
//   - a sample orders API on 127.0.0.1 (needs X-API-Key + User-Token) serving its OpenAPI 3.1 document;
//   - a host page on another origin that embeds <app>/widget.js with initOpenScript({ token, headers });
//   - with --fake-model, an OpenAI-compatible stand-in model (no network, no key).
// The demo writes nothing inside the project while the dev server watches it (its OpenAPI file goes to the
// OS temp folder).
// Options: --fake-model  --use-running-app  --port <app port>  --api-port <4010>  --site-port <4020>  --model-port <4030>  --token <cpt_…>
//          --server-key <chsk_…> (or DEMO_SERVER_KEY): the shop backend mints sealed sessions for /sealed with it
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { env } from '@/core/env';
import { startFakeModel, type FakeModel } from '@/test/fixtures/fake-model';
import { demoModelScript } from './demo/fake-model-script';
import { startHostPage } from './demo/host-page';
import { DEMO_SYSTEM_KEY, demoUserOf, startSampleApi } from './demo/sample-api';

const { values: args } = parseArgs({
  options: {
    'fake-model': { type: 'boolean', default: false },
    'use-running-app': { type: 'boolean', default: false },
    port: { type: 'string' },
    'api-port': { type: 'string', default: '4010' },
    'site-port': { type: 'string', default: '4020' },
    'model-port': { type: 'string', default: '4030' },
    token: { type: 'string' },
    'server-key': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  console.log('npm run demo [-- --fake-model] [--use-running-app] [--port 3000] [--api-port 4010] [--site-port 4020] [--model-port 4030] [--token cpt_…] [--server-key chsk_…]');
  process.exit(0);
}

function portOf(name: string, raw: string | undefined, fallback: number): number {
  const value = Number(raw ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    console.error(`--${name} must be a port number (1–65535)`);
    process.exit(2);
  }
  return value;
}

const appPort = args.port ? portOf('port', args.port, 3000) : env().PORT;
const appUrl = `http://localhost:${appPort}`;

async function appIsUp(): Promise<boolean> {
  try {
    return (await fetch(`${appUrl}/api/health`, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

let app: ChildProcess | null = null;

async function ensureApp(privateHosts: string): Promise<'running' | 'started'> {
  if (await appIsUp()) return 'running';
  console.log(`Starting the app on ${appUrl} (npm run dev; data in .data/) …`);
  // Its own process group (npm → sh → node): stopping the demo stops the whole group, not just npm.
  app = spawn('npm', ['run', 'dev'], { stdio: ['ignore', 'inherit', 'inherit'], detached: true, env: { ...process.env, PORT: String(appPort), RUNTIME_PRIVATE_HOSTS: privateHosts } });
  app.once('exit', (code) => {
    if (!stopping) {
      console.error(`The app stopped (exit code ${code}). Is port ${appPort} taken? Try --port.`);
      void stop(1);
    }
  });
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (await appIsUp()) return 'started';
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`The app did not answer on ${appUrl}/api/health within 5 minutes.`);
}

let stopping = false;
const closers: (() => Promise<void>)[] = [];
async function stop(code: number): Promise<never> {
  stopping = true;
  await Promise.allSettled(closers.map((close) => close()));
  if (app?.pid && app.exitCode === null) {
    const exited = new Promise((r) => app!.once('exit', r));
    process.kill(-app.pid, 'SIGTERM');
    await exited;
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/** The operator's allowance for the demo's own servers: each of them by port, not all of loopback. */
function demoPrivateHosts(ports: number[]): string {
  return [...new Set([...env().RUNTIME_PRIVATE_HOSTS, ...ports.map((port) => `127.0.0.1:${port}`)])].join(',');
}

async function main(): Promise<void> {
  const ports = { api: portOf('api-port', args['api-port'], 4010), site: portOf('site-port', args['site-port'], 4020), model: portOf('model-port', args['model-port'], 4030) };
  const privateHosts = demoPrivateHosts(args['fake-model'] ? [ports.api, ports.model] : [ports.api]);
  // An app that already runs was started without the demo's setting: step 2 would be refused.
  if (!args['use-running-app'] && (await appIsUp())) {
    console.error(`An app already answers on ${appUrl}. The demo starts its own, allowed to call the demo's servers on 127.0.0.1.
Stop that app (Ctrl+C in its terminal) and run \x1b[1mnpm run demo\x1b[0m again.
(Or restart it yourself with RUNTIME_PRIVATE_HOSTS=${privateHosts} and run npm run demo -- --use-running-app.)`);
    process.exit(3);
  }
  const api = await startSampleApi({ port: ports.api });
  closers.push(api.close);
  api.requests.length = 0;
  const serverKey = args['server-key'] ?? process.env.DEMO_SERVER_KEY;
  const site = await startHostPage({ appUrl, token: args.token, port: ports.site, serverKey });
  closers.push(site.close);
  let model: FakeModel | null = null;
  if (args['fake-model']) {
    model = await startFakeModel(demoModelScript, { port: ports.model });
    closers.push(model.close);
  }
  const openapiFile = path.join(tmpdir(), 'copilot-headers-demo', 'orders-openapi.json');
  mkdirSync(path.dirname(openapiFile), { recursive: true });
  writeFileSync(openapiFile, `${JSON.stringify(api.openapi, null, 2)}\n`);

  const appState = await ensureApp(privateHosts);
  const b = (s: string) => `\x1b[1m${s}\x1b[0m`;
  console.log(`
${b('Copilot Headers demo')}
  app          ${appUrl}${appState === 'running' ? `  (already running, --use-running-app: started with RUNTIME_PRIVATE_HOSTS=${privateHosts})` : ''}
  sample API   ${api.origin}   (GET /orders/{orderId}, POST /orders; OpenAPI: ${api.origin}/openapi.json)
  host page    ${site.origin}   (embeds ${appUrl}/widget.js)
  model        ${model ? `${model.baseUrl}   (the fake model, --fake-model)` : 'yours: any OpenAI-compatible server (or rerun with --fake-model)'}

${b('Next steps')}
  1. Open ${appUrl} — create the first admin account (fresh install) or sign in.
  2. Copilots → New copilot. API base URL: ${b(api.origin)}, allowed widget origin: ${b(site.origin)}
  3. The copilot's overview shows a setup checklist; each line links to its place:
     a credential — Add header → API key: name ${b('X-API-Key')}, value ${b(DEMO_SYSTEM_KEY)}
     the actions — paste the document from ${api.origin}/openapi.json (or upload ${openapiFile}) → Import
     the model — Endpoint ${b(model ? model.baseUrl : 'e.g. http://127.0.0.1:11434/v1 (Ollama) or https://api.openai.com/v1')}, Model ${b(model ? 'fake-model' : 'e.g. llama3.1 or gpt-4o-mini')}${model ? ', no API key' : ', and its API key if it needs one'} → Save
  4. Preview tab: add the test header User-Token = demo-user-alice-1 and ask "Where is order 42?".
  5. Open ${b(`${site.origin}/?token=<widget token from the overview>`)} and ask the same.
     The page passes User-Token for alice; "Switch to bob" calls setHeaders() (bob owns order 43).
  8. Sealed sessions (the user's token never reaches the page): Runtime API tab → Create server key, then
     ${serverKey ? b('server key given: ready') : `rerun with ${b('--server-key chsk_…')} (or DEMO_SERVER_KEY)`} and open ${b(`${site.origin}/sealed?token=<widget token>`)}.
     The shop's backend (this demo) mints each session; devtools show no User-Token anywhere in the page.

Calls to the sample API are listed below as they arrive. Ctrl+C stops the demo${app ? ' and the app' : ''}.
`);

  let shown = 0;
  setInterval(() => {
    for (const r of api.requests.slice(shown)) {
      if (r.path === '/openapi.json' || r.path === '/health') continue;
      const user = demoUserOf(typeof r.headers['user-token'] === 'string' ? r.headers['user-token'] : undefined);
      const key = r.headers['x-api-key'] === DEMO_SYSTEM_KEY ? 'X-API-Key ✓' : 'X-API-Key ✗';
      console.log(`[sample API] ${r.method} ${r.path}  ${key}  User-Token ${user ? `✓ (${user})` : '✗'}`);
    }
    shown = api.requests.length;
  }, 500).unref();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  void stop(1);
});
