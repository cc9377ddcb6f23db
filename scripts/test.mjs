// `npm test`: the unit suite (`npm run test:unit`, Vitest) and the end-to-end suite (`npm run test:e2e`,
// Playwright, which builds the app first when the build is stale) side by side. The end-to-end suite spends
// most of its time waiting on a browser and a server, so running the two together finishes about when the
// longer one does instead of after both. Each line is prefixed with its suite; the exit code is non-zero when
// either failed. TEST_ONE_AT_A_TIME=1 runs them one after the other (unit first).
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { createInterface } from 'node:readline';

// The unit suite keeps every core busy; the end-to-end suite is a chain of waits on a browser and a server, so
// it runs at normal priority and the unit suite below it (niceness 10): it soaks up the idle time instead of
// stretching the chain.
const suites = [
  { name: 'unit', script: 'test:unit', niceness: 10 },
  { name: 'e2e', script: 'test:e2e', niceness: 0 },
];
const children = new Set();

function run({ name, script, niceness }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('npm', ['run', '--silent', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a stop reaches the browsers and servers it starts
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') },
    });
    children.add(child);
    if (niceness) setPriority(child.pid, niceness); // before npm starts the suite: its processes inherit it
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
    }
    child.on('close', (code, signal) => {
      children.delete(child);
      const seconds = Math.round((Date.now() - started) / 1000);
      const ok = code === 0;
      process.stdout.write(`[${name}] ${ok ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`} after ${seconds} s\n`);
      resolve(ok);
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    }
    process.exit(130);
  });
}

let results;
if (process.env.TEST_ONE_AT_A_TIME === '1') {
  results = [];
  for (const suite of suites) results.push(await run(suite));
} else {
  results = await Promise.all(suites.map(run));
}
const failed = suites.filter((_, i) => !results[i]).map((s) => s.name);
process.stdout.write(failed.length ? `npm test: ${failed.join(' and ')} failed\n` : 'npm test: unit and e2e passed\n');
process.exit(failed.length ? 1 : 0);
