// Fresh customer apps for the widget package check: scaffolded by the official generators at their current
// versions from the npm registry, in a temporary folder, with the package installed from the running app's URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The environment of a customer's shell: none of this repository's npm script variables or NODE_ENV. */
function customerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
  for (const name of Object.keys(env)) if (/^(npm_(?!config_(fund|audit|update_notifier)$)|NODE_ENV$|INIT_CWD$|NODE_OPTIONS$)/i.test(name)) delete env[name];
  return env;
}

export type Run = { code: number; output: string; seconds: number };

/** Runs a command to the end; `expectFailure` for the type check that must fail. Throws with its output otherwise. */
export function run(command: string, args: string[], cwd: string, { expectFailure = false } = {}): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: customerEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const result = { code: code ?? 1, output, seconds: (performance.now() - started) / 1000 };
      if ((result.code === 0) === !expectFailure) resolve(result);
      else reject(new Error(`${command} ${args.join(' ')} in ${cwd} exited with ${result.code}${expectFailure ? ' (a failure was expected)' : ''}:\n${output.slice(-4000)}`));
    });
  });
}

/** Starts a production server of a fresh app (its own bin, no npx in between, so the pid is the server's) and waits for `url`. */
export async function serve(cwd: string, bin: string, args: string[], url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(cwd, bin), ...args], { cwd, env: { ...customerEnv(), NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${bin} exited with ${child.exitCode}:\n${output.slice(-4000)}`);
    if (await fetch(url).then((r) => r.ok, () => false)) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGTERM');
  throw new Error(`${bin} did not answer ${url} within a minute:\n${output.slice(-4000)}`);
}

export async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export type WidgetSetup = { token: string; apiUrl: string; userToken: string; title: string };

/** The customer's component: the package's React entry with the options the issue names. */
function widgetElement(setup: WidgetSetup): string {
  const options = { token: setup.token, apiUrl: setup.apiUrl, headers: { 'User-Token': setup.userToken }, title: setup.title };
  return `<WidgetRoot options={${JSON.stringify(options)}}>
        <Widget />
      </WidgetRoot>`;
}

export function viteApp(setup: WidgetSetup): Record<string, string> {
  return {
    'src/App.tsx': `import { Widget, WidgetRoot } from '@copilot-headers/widget/react';

export default function App() {
  return (
    <main>
      <h1>Vite shop</h1>
      ${widgetElement(setup)}
    </main>
  );
}
`,
  };
}

/** A server component page (prerendered by next build) and a layout without next/font (no network but npm here). */
export function nextApp(setup: WidgetSetup): Record<string, string> {
  return {
    'app/layout.tsx': `export const metadata = { title: 'Next shop' };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
    'app/page.tsx': `import { Widget, WidgetRoot } from '@copilot-headers/widget/react';

export default function Home() {
  return (
    <main>
      <h1>Next shop</h1>
      ${widgetElement(setup)}
    </main>
  );
}
`,
  };
}

/** What a TypeScript user gets wrong: an unknown option and a value of the wrong type. */
export const WRONG_OPTIONS = `import { Widget, WidgetRoot } from '@copilot-headers/widget/react';

export function Wrong() {
  return (
    <WidgetRoot options={{ token: 'cpt_x', header: { 'User-Token': 'x' } }}>
      <Widget inline />
    </WidgetRoot>
  );
}

export function WrongPosition() {
  return (
    <WidgetRoot options={{ token: 'cpt_x', theme: { position: 'top-center' } }}>
      <Widget />
    </WidgetRoot>
  );
}
`;

/** How the fresh app's package-lock.json records the widget: where npm got it and the tarball's integrity. */
export function lockedWidget(appDir: string): { version?: string; resolved?: string; integrity?: string } {
  const lock = JSON.parse(readFileSync(path.join(appDir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; resolved?: string; integrity?: string }> };
  return lock.packages['node_modules/@copilot-headers/widget'] ?? {};
}
