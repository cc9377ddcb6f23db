import { userInfo } from 'node:os';
import { and, desc, inArray, isNull } from 'drizzle-orm';
import { keyringSource, loadKeyring, resetKeyringCache, type Keyring } from '@/core/crypto/keyring';
import type { Db } from '@/db/client';
import { auditEvents, type AuditMetadata } from '@/db/schema';
import { assertKeyChecks, keyCheckStates, type KeyCheckState } from './check-values';
import { appendDevKeyVersion, removeDevKeyVersion } from './dev-keyring';
import { assertKeyringOpensStoredValues, reencryptAll, type BatchProgress, type ReencryptSummary } from './reencrypt';
import { describeUse, keyVersionUsage, totalsByVersion, type ColumnUsage } from './usage';

/**
 * The three commands of `npm run keys` (scripts/keys.ts is only their terminal front end).
 *
 * The audit log doubles as the rotation journal: `keys.rotate_start` names the target version before
 * any row is touched and `keys.rotate_complete` is written once no row is left behind, so a rotation
 * killed half-way is recognised and finished by the next `rotate` instead of starting another one.
 */
export type KeysAuditAction = 'keys.rotate_start' | 'keys.rotate_complete' | 'keys.retire';

const GENERATE = `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`;

async function audit(db: Db, action: KeysAuditAction, metadata: AuditMetadata): Promise<void> {
  let osUser: string | null = null;
  try {
    osUser = userInfo().username;
  } catch {
    osUser = null;
  }
  await db.insert(auditEvents).values({ copilotId: null, actorId: null, actorEmail: null, action, target: 'master key', metadata: { ...metadata, via: 'npm run keys', osUser } });
}

/** The version an unfinished rotation was heading for, or null. */
export async function openRotation(db: Db): Promise<number | null> {
  const [last] = await db
    .select({ action: auditEvents.action, metadata: auditEvents.metadata })
    .from(auditEvents)
    .where(and(isNull(auditEvents.copilotId), inArray(auditEvents.action, ['keys.rotate_start', 'keys.rotate_complete'])))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return last?.action === 'keys.rotate_start' ? Number(last.metadata.toVersion) : null;
}

/** `checks`: per keyring version, whether its key check value (check-values.ts) is recorded and matches. */
export type Status = { keyring: Keyring; source: string; usage: ColumnUsage[]; openRotation: number | null; checks: Map<number, KeyCheckState> };

function describeSource(): string {
  const source = keyringSource();
  return source.kind === 'env' ? 'ENCRYPTION_KEYS' : `development keyring file ${source.file}`;
}

export async function status(db: Db): Promise<Status> {
  const keyring = loadKeyring();
  return { keyring, source: describeSource(), usage: await keyVersionUsage(db), openRotation: await openRotation(db), checks: await keyCheckStates(db, keyring) };
}

export type RotateOutcome =
  | { kind: 'done'; summary: ReencryptSummary; generated: boolean; resumed: boolean }
  | { kind: 'needs_operator'; message: string };

/**
 * Makes a new key version current and moves every stored value onto it. With the development keyring
 * file it generates the version; with ENCRYPTION_KEYS the operator adds it (the message says exactly
 * what to set). Resumes an unfinished rotation, and re-encrypts stray rows under older versions.
 */
export async function rotate(db: Db, { batchSize, onBatch }: { batchSize?: number; onBatch?: (p: BatchProgress) => void } = {}): Promise<RotateOutcome> {
  let keyring = loadKeyring();
  await assertKeyringOpensStoredValues(db, keyring);
  const open = await openRotation(db);
  const totals = totalsByVersion(await keyVersionUsage(db));
  const stale = [...totals].filter(([v]) => v !== keyring.currentVersion);
  let generated = false;
  const resumed = open === keyring.currentVersion;

  if (!resumed && stale.length === 0) {
    const source = keyringSource();
    if (source.kind === 'env') {
      const added = Math.max(...keyring.versions);
      if (added > keyring.currentVersion) {
        return {
          kind: 'needs_operator',
          message: [
            `Key version ${added} is in ENCRYPTION_KEYS but version ${keyring.currentVersion} is current. Once every instance has the new ENCRYPTION_KEYS, make it current:`,
            `       ENCRYPTION_KEY_CURRENT=${added}   (on every instance, and for this command)`,
            `then run \`npm run keys -- rotate\` again: it re-encrypts every value under version ${added}.`,
          ].join('\n'),
        };
      }
      const next = added + 1;
      return {
        kind: 'needs_operator',
        message: [
          `Every stored value already uses key version ${keyring.currentVersion}, the current one. To rotate to a new master key:`,
          `  1. Generate a key:   ${GENERATE}`,
          `  2. On every instance, append it to ENCRYPTION_KEYS and make it current (keep the existing entries ${keyring.versions.join(', ')}):`,
          `       ENCRYPTION_KEYS="${keyring.versions.map((v) => `${v}:…`).join(',')},${next}:<new key>"`,
          `       ENCRYPTION_KEY_CURRENT=${next}`,
          `     Deploy the new ENCRYPTION_KEYS everywhere first (every instance can then read version ${next}), then ENCRYPTION_KEY_CURRENT.`,
          `  3. Run \`npm run keys -- rotate\` again with those variables set: it re-encrypts every value under version ${next}.`,
        ].join('\n'),
      };
    }
    const version = appendDevKeyVersion(source.file);
    resetKeyringCache();
    keyring = loadKeyring();
    if (keyring.currentVersion !== version) {
      throw new Error(`Added key version ${version} to ${source.file}, but ENCRYPTION_KEY_CURRENT pins version ${keyring.currentVersion}: unset it (or set it to ${version}) and run \`npm run keys -- rotate\` again.`);
    }
    generated = true;
  }

  // Refuses wrong bytes for any version, and records the check value of a version used for the first time.
  await assertKeyChecks(db, keyring);
  if (!resumed) {
    const fromVersions = [...totals.keys()].filter((v) => v !== keyring.currentVersion);
    await audit(db, 'keys.rotate_start', { toVersion: keyring.currentVersion, fromVersions: fromVersions.map(String), generated });
  }
  const summary = await reencryptAll(db, keyring, { batchSize, onBatch });
  if (summary.remaining === 0) {
    await audit(db, 'keys.rotate_complete', { toVersion: summary.toVersion, reencrypted: summary.reencrypted });
  }
  return { kind: 'done', summary, generated, resumed };
}

export type RetireOutcome = { ok: true; message: string } | { ok: false; message: string };

/** Drops a key version, refusing while any stored value (or new writes: the current version) still needs it. */
export async function retire(db: Db, version: number): Promise<RetireOutcome> {
  const keyring = loadKeyring();
  if (!keyring.get(version)) return { ok: false, message: `Key version ${version} is not in the keyring (it has ${keyring.versions.join(', ')}).` };
  if (version === keyring.currentVersion) {
    return { ok: false, message: `Key version ${version} is the current version: new values are encrypted with it. Rotate to a new version first (npm run keys -- rotate).` };
  }
  const usage = await keyVersionUsage(db);
  const inUse = totalsByVersion(usage).get(version) ?? 0;
  if (inUse > 0) {
    return {
      ok: false,
      message: `Key version ${version} is still used by ${inUse} stored value${inUse === 1 ? '' : 's'} (${describeUse(usage, version)}). Run \`npm run keys -- rotate\` to move them to version ${keyring.currentVersion} first.`,
    };
  }
  // Value fingerprints (verify-by-paste) are keyed by FINGERPRINT_KEY, not the keyring: retiring a version leaves them valid.
  const source = keyringSource();
  const kept = keyring.versions.filter((v) => v !== version);
  await audit(db, 'keys.retire', { version, keptVersions: kept.map(String) });
  if (source.kind === 'file') {
    removeDevKeyVersion(source.file, version);
    resetKeyringCache();
    return { ok: true, message: `Removed key version ${version} from ${source.file}. The keyring now holds version${kept.length === 1 ? '' : 's'} ${kept.join(', ')}.` };
  }
  return {
    ok: true,
    message:
      `No stored value uses key version ${version}. Remove its entry ("${version}:…") from ENCRYPTION_KEYS on every instance, keeping ${kept.map((v) => `${v}:…`).join(',')}, ` +
      'and destroy any copy of that key. Instances refuse to start if a value still needed it.',
  };
}
