// `npm run build`, unless the production build on disk was made from exactly these sources.
// The end-to-end suite starts the production build; CI runs that suite twice (PostgreSQL, then PGlite)
// on one checkout, and a second identical build costs minutes. The stamp is a SHA-256 over every file
// git would commit (tracked and untracked-but-not-ignored) plus the build-time environment, so any
// edit, new file or NEXT_PUBLIC_* change rebuilds.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const STAMP = 'dist/.build-stamp';
const OUTPUTS = ['.next/BUILD_ID', 'dist/server.mjs', 'dist/runtime.mjs', 'public/widget.js', 'public/widget/copilot-headers-widget.tgz'];

function sourceStamp() {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' });
  const files = [...new Set(listed.split('\0').filter(Boolean))].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    if (!existsSync(file)) continue; // deleted in the work tree, still in the index
    hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  }
  const buildEnv = Object.entries(process.env)
    .filter(([name]) => name === 'NODE_ENV' || name.startsWith('NEXT_PUBLIC_'))
    .sort(([a], [b]) => a.localeCompare(b));
  hash.update(JSON.stringify(buildEnv));
  return hash.digest('hex');
}

const stamp = sourceStamp();
const fresh = OUTPUTS.every((file) => existsSync(file)) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === stamp;
if (fresh) {
  console.log('build is up to date with the sources: not rebuilding');
} else {
  const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, sourceStamp()); // after the build: `next build` may itself touch a tracked file (tsconfig.json)
}
