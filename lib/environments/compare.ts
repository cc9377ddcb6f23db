import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { globalHeaders } from '@/db/schema';
import { decryptSecret } from '@/core/crypto/aead';
import { describeHeaderScope, sameScope } from '@/lib/headers/scope';
import type { CompareRow, ComparedSide, CopyPlan, CopyPlanItem } from './copy-schema';

/** One environment's headers with their ciphertexts. Internal: never leaves the server. */
export async function sealedHeadersOf(db: Executor, environmentId: string) {
  return db
    .select({
      id: globalHeaders.id,
      name: globalHeaders.name,
      kind: globalHeaders.kind,
      ciphertext: globalHeaders.ciphertext,
      keyVersion: globalHeaders.keyVersion,
      preview: globalHeaders.preview,
      allowWidgetOverride: globalHeaders.allowWidgetOverride,
      scopeHost: globalHeaders.scopeHost,
      scopePathPrefix: globalHeaders.scopePathPrefix,
      pendingKeyVersion: globalHeaders.pendingKeyVersion,
    })
    .from(globalHeaders)
    .where(eq(globalHeaders.environmentId, environmentId))
    .orderBy(asc(globalHeaders.name));
}
export type SealedHeader = Awaited<ReturnType<typeof sealedHeadersOf>>[number];

/** The current value of a stored header, decrypted with its own binding (copilot, header). */
export function openHeaderValue(copilotId: string, header: Pick<SealedHeader, 'id' | 'ciphertext' | 'keyVersion'>): string {
  return decryptSecret({ ciphertext: header.ciphertext, keyVersion: header.keyVersion }, { copilotId, headerId: header.id });
}

/**
 * Whether two stored headers hold the same value. Stored fingerprints are keyed per header, so they differ for
 * equal values: both are decrypted here and their SHA-256 digests (equal length) compared in constant time.
 * Neither value leaves this function.
 */
export function sameStoredValue(copilotId: string, a: SealedHeader, b: SealedHeader): boolean {
  const digest = (header: SealedHeader) => createHash('sha256').update(openHeaderValue(copilotId, header), 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

const side = (header: SealedHeader): ComparedSide => ({ kind: header.kind, preview: header.preview, scope: describeHeaderScope(header), pending: header.pendingKeyVersion !== null });

/** Both environments' headers by lower-cased name (names are unique per environment, case-insensitively). */
export function byName(headers: readonly SealedHeader[]): Map<string, SealedHeader> {
  return new Map(headers.map((h) => [h.name.toLowerCase(), h]));
}

/** Per header name: same value, different value, only in one of them; plus kind and destination differences. */
export function compareHeaders(copilotId: string, from: readonly SealedHeader[], to: readonly SealedHeader[]): CompareRow[] {
  const target = byName(to);
  const rows: CompareRow[] = from.map((a) => {
    const b = target.get(a.name.toLowerCase());
    if (!b) return { name: a.name, status: 'only-from', from: side(a), to: null, kindDiffers: false, scopeDiffers: false };
    return { name: a.name, status: sameStoredValue(copilotId, a, b) ? 'same' : 'different', from: side(a), to: side(b), kindDiffers: a.kind !== b.kind, scopeDiffers: !sameScope(a, b) };
  });
  const source = byName(from);
  for (const b of to) if (!source.has(b.name.toLowerCase())) rows.push({ name: b.name, status: 'only-to', from: null, to: side(b), kindDiffers: false, scopeDiffers: false });
  return rows.sort((x, y) => x.name.toLowerCase().localeCompare(y.name.toLowerCase()));
}

/** Compares two environments of one copilot (both already checked to belong to it). */
export async function compareEnvironments(db: Executor, { copilotId, fromEnvironmentId, toEnvironmentId }: { copilotId: string; fromEnvironmentId: string; toEnvironmentId: string }) {
  const [from, to] = await Promise.all([sealedHeadersOf(db, fromEnvironmentId), sealedHeadersOf(db, toEnvironmentId)]);
  return compareHeaders(copilotId, from, to);
}

/** A copy step as planned: the item shown in the preview, plus the rows it reads (internal). */
export type PlannedCopy = CopyPlanItem & { source: SealedHeader; target: SealedHeader | null };

/**
 * What copying `names` from one environment to another would do, without writing anything. Names the
 * source does not have come back in `missing` (a field error). A name the target already has is a
 * conflict unless `existing` is `stage`; staging is skipped when it cannot apply (same value already,
 * another kind, another destination, a value already pending).
 */
export function planCopy(
  copilotId: string,
  { from, to, toName }: { from: readonly SealedHeader[]; to: readonly SealedHeader[]; toName: string },
  { names, existing }: { names: readonly string[]; existing: 'refuse' | 'stage' },
): { plan: PlannedCopy[]; missing: string[] } {
  const source = byName(from);
  const target = byName(to);
  const seen = new Set<string>();
  const plan: PlannedCopy[] = [];
  const missing: string[] = [];
  for (const requested of names) {
    const key = requested.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const a = source.get(key);
    if (!a) {
      missing.push(requested);
      continue;
    }
    const b = target.get(key) ?? null;
    const item = (outcome: CopyPlanItem['outcome'], reason: string | null): PlannedCopy => ({ name: a.name, kind: a.kind, outcome, reason, source: a, target: b });
    if (!b) plan.push(item('create', null));
    else if (sameStoredValue(copilotId, a, b)) plan.push(item('skip', `${toName} already has the same value`));
    else if (existing === 'refuse') plan.push(item('conflict', `${toName} already has ${b.name}: choose “stage” to replace its value through test → promote`));
    else if (a.kind !== b.kind) plan.push(item('skip', `${b.name} is another kind of header in ${toName}`));
    else if (!sameScope(a, b)) plan.push(item('skip', `${b.name} goes to another destination in ${toName} (${describeHeaderScope(b)}, not ${describeHeaderScope(a)})`));
    else if (b.pendingKeyVersion !== null) plan.push(item('skip', `a new value of ${b.name} is already pending in ${toName}: promote or cancel it first`));
    else plan.push(item('stage', `staged in ${toName}: test it, then promote it there`));
  }
  return { plan, missing };
}

/** The preview's view of a plan: names, kinds, outcomes and reasons — no row, no value. */
export function copyPlanView(plan: readonly PlannedCopy[], names: { from: string; to: string }): CopyPlan {
  return { ...names, items: plan.map(({ name, kind, outcome, reason }) => ({ name, kind, outcome, reason })) };
}
