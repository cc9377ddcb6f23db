// `npm run keys -- status | rotate [--batch-size N] | retire <version>`: master-key rotation
// (docs/keys.md). The logic lives in core/keys/; this file parses arguments and draws the progress.
import { summarizeError } from '@/core/error-summary';
import { DEFAULT_BATCH_SIZE, type BatchProgress } from '@/core/keys/reencrypt';
import { totalsByVersion } from '@/core/keys/usage';

const USAGE = `Usage: npm run keys -- <command>

  status                      key versions in the keyring, and how many stored values each one encrypts
  rotate [--batch-size N]     make a new key version current and re-encrypt every stored value with it
                              (resumes an interrupted rotation; safe to run again at any time)
  retire <version>            drop a key version once no stored value uses it`;

const out = (line = '') => process.stdout.write(`${line}\n`);
const number = (n: number) => n.toLocaleString('en-US');

function parseArgs(argv: string[]): { command: string | undefined; version?: number; batchSize: number } {
  const [command, ...rest] = argv;
  let batchSize = DEFAULT_BATCH_SIZE;
  let version: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--batch-size') {
      batchSize = Number(rest[++i]);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new Error('--batch-size must be a whole number from 1 to 10000.');
    } else if (command === 'retire' && version === undefined && /^[1-9]\d{0,9}$/.test(arg)) {
      version = Number(arg);
    } else {
      throw new Error(`Unexpected argument "${arg.slice(0, 40)}".\n\n${USAGE}`);
    }
  }
  return { command, version, batchSize };
}

/** A bar that redraws in place on a terminal; one line per batch otherwise (logs, CI, tests). */
function progressPrinter(): { onBatch: (p: BatchProgress) => void; end: () => void } {
  const started = Date.now();
  const tty = process.stdout.isTTY;
  let drawn = false;
  return {
    onBatch: ({ label, rows, done, total }) => {
      const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
      if (!tty) {
        out(`re-encrypted ${rows} rows of ${label}: ${done}/${total}`);
        return;
      }
      const width = 30;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      process.stdout.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor((done / Math.max(total, 1)) * 100)}% ${number(done)}/${number(total)} rows · ${number(rate)} rows/s · ${label}   `);
      drawn = true;
    },
    end: () => {
      if (drawn) process.stdout.write('\n');
    },
  };
}

async function main(): Promise<number> {
  const { command, version, batchSize } = parseArgs(process.argv.slice(2));
  if (!command || command === 'help' || command === '--help') {
    out(USAGE);
    return command ? 0 : 1;
  }
  if (!['status', 'rotate', 'retire'].includes(command)) throw new Error(`Unknown command "${command.slice(0, 40)}".\n\n${USAGE}`);
  if (command === 'retire' && version === undefined) throw new Error('Name the version to retire: npm run keys -- retire <version>');

  const { closeDb, getDb } = await import('@/db/client');
  const commands = await import('@/core/keys/commands');
  const db = await getDb();
  try {
    if (command === 'status') {
      const s = await commands.status(db);
      out(`Keyring (${s.source}): version${s.keyring.versions.length === 1 ? '' : 's'} ${s.keyring.versions.join(', ')}; current ${s.keyring.currentVersion}`);
      const versions = [...new Set([...s.keyring.versions, ...totalsByVersion(s.usage).keys()])].sort((a, b) => a - b);
      const labelWidth = Math.max(...s.usage.map((u) => u.label.length), 'column'.length);
      out(`${'column'.padEnd(labelWidth)}  ${versions.map((v) => `v${v}${v === s.keyring.currentVersion ? '*' : ''}`.padStart(10)).join('')}`);
      for (const u of s.usage) out(`${u.label.padEnd(labelWidth)}  ${versions.map((v) => number(u.byVersion.get(v) ?? 0).padStart(10)).join('')}`);
      const check = (v: number) => ({ verified: 'verified', mismatch: 'WRONG KEY', unrecorded: 'unrecorded' })[s.checks.get(v) ?? 'unrecorded'];
      out(`${'key check'.padEnd(labelWidth)}  ${versions.map((v) => (s.keyring.get(v) ? check(v) : 'missing').padStart(10)).join('')}`);
      const wrong = versions.filter((v) => s.checks.get(v) === 'mismatch');
      if (wrong.length) out(`\nWRONG KEY for version ${wrong.join(', ')}: the keyring's bytes are not the ones recorded when the version was first used. Restore the original key(s).`);
      if (versions.some((v) => s.checks.get(v) === 'unrecorded')) out('\n"unrecorded": no key check value yet; the next start of the app (or `keys rotate`) checks the key against stored values and records it.');
      const missing = versions.filter((v) => !s.keyring.get(v));
      if (missing.length) out(`\nMISSING from the keyring: version ${missing.join(', ')} — those values cannot be decrypted. Add the key(s) back.`);
      if (s.openRotation !== null) out(`\nA rotation to version ${s.openRotation} is unfinished: run \`npm run keys -- rotate\` to finish it.`);
      const retirable = s.keyring.versions.filter((v) => v !== s.keyring.currentVersion && !totalsByVersion(s.usage).get(v));
      if (retirable.length) out(`\nNo stored value uses version ${retirable.join(', ')}: \`npm run keys -- retire <version>\` removes it.`);
      return 0;
    }
    if (command === 'retire') {
      const result = await commands.retire(db, version!);
      (result.ok ? out : (line: string) => process.stderr.write(`${line}\n`))(result.message);
      return result.ok ? 0 : 1;
    }
    const progress = progressPrinter();
    const started = Date.now();
    const outcome = await commands.rotate(db, { batchSize, onBatch: progress.onBatch });
    progress.end();
    if (outcome.kind === 'needs_operator') {
      out(outcome.message);
      return 2;
    }
    const { summary, generated, resumed } = outcome;
    const seconds = (Date.now() - started) / 1000;
    if (generated) out(`Generated key version ${summary.toVersion} in the development keyring file; it is now current.`);
    if (resumed) out(`Resumed the unfinished rotation to key version ${summary.toVersion}.`);
    out(`Re-encrypted ${number(summary.reencrypted)} value${summary.reencrypted === 1 ? '' : 's'} under key version ${summary.toVersion} in ${seconds.toFixed(1)} s:`);
    for (const c of summary.byColumn) out(`  ${c.label}: ${number(c.reencrypted)}`);
    for (const f of summary.failures) process.stderr.write(`  could not re-encrypt ${f.label} row ${f.key}: ${f.problem}\n`);
    if (summary.remaining > 0) {
      process.stderr.write(`${summary.remaining} value(s) are still under an older key version; fix the rows above (or wait for the locks to clear) and run rotate again.\n`);
      return 1;
    }
    out(`Every stored value now uses key version ${summary.toVersion}. Older versions can be retired: npm run keys -- status`);
    return 0;
  } finally {
    await closeDb();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Our own errors are plain Errors with safe messages; a driver error's message may quote query parameters.
    process.stderr.write(`keys: ${error instanceof Error && error.constructor === Error ? error.message : summarizeError(error)}\n`);
    process.exit(1);
  },
);
