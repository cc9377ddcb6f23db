// `npm run screenshots`: refreshes the README's pictures (docs/screenshot.png, docs/headers.png) against a fresh
// build, explicitly — the test suite itself never writes a tracked file.
import { spawnSync } from 'node:child_process';

const result = spawnSync('npx', ['playwright', 'test', '--project=screenshots'], {
  stdio: 'inherit',
  env: { ...process.env, README_SCREENSHOTS: '1' },
});
process.exit(result.status ?? 1);
