import 'server-only';
import { and, desc, eq, gte, lt, notInArray, or } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { globalHeaders, headerVersions } from '@/db/schema';
import { env } from '@/core/env';

/** At most this many earlier values of one header are kept, however young. */
export const MAX_HISTORY_ENTRIES = 10;

/** Earlier values older than this (retired before it) are gone: not listed, not restorable, deleted. */
export function historyCutoff(now = new Date()): Date {
  return new Date(now.getTime() - env().HEADER_HISTORY_DAYS * 24 * 3600 * 1000);
}

/** The header row with everything a rotation step needs, locked for the transaction. Internal: holds ciphertexts. */
export async function lockHeaderRow(tx: Tx, { copilotId, headerId }: { copilotId: string; headerId: string }) {
  const [row] = await tx
    .select()
    .from(globalHeaders)
    .where(and(eq(globalHeaders.id, headerId), eq(globalHeaders.copilotId, copilotId)))
    .for('update');
  return row ?? null;
}
export type LockedHeader = NonNullable<Awaited<ReturnType<typeof lockHeaderRow>>>;

/**
 * Keeps the header's current value (still encrypted, with its preview and fingerprint, who set it and
 * when) as an earlier version, then applies retention: older than HEADER_HISTORY_DAYS or beyond the
 * last MAX_HISTORY_ENTRIES is deleted.
 */
export async function retireCurrentValue(tx: Tx, header: LockedHeader, { retiredBy, now }: { retiredBy: string | null; now: Date }): Promise<void> {
  await tx.insert(headerVersions).values({
    headerId: header.id,
    version: header.version,
    valueNumber: header.valueNumber,
    ciphertext: header.ciphertext,
    keyVersion: header.keyVersion,
    preview: header.preview,
    fingerprint: header.valueFingerprint,
    setAt: header.rotatedAt,
    setBy: header.rotatedBy,
    retiredAt: now,
    retiredBy,
  });
  await pruneHistory(tx, header.id, now);
}

export async function pruneHistory(tx: Tx, headerId: string, now = new Date()): Promise<void> {
  const newest = tx
    .select({ version: headerVersions.version })
    .from(headerVersions)
    .where(eq(headerVersions.headerId, headerId))
    .orderBy(desc(headerVersions.version))
    .limit(MAX_HISTORY_ENTRIES);
  await tx
    .delete(headerVersions)
    .where(and(eq(headerVersions.headerId, headerId), or(lt(headerVersions.retiredAt, historyCutoff(now)), notInArray(headerVersions.version, newest))));
}

/** Earlier values still inside retention, newest first. Internal: holds ciphertexts. */
export async function restorableVersions(tx: Tx, headerId: string, now = new Date()) {
  return tx
    .select()
    .from(headerVersions)
    .where(and(eq(headerVersions.headerId, headerId), gte(headerVersions.retiredAt, historyCutoff(now))))
    .orderBy(desc(headerVersions.version))
    .limit(MAX_HISTORY_ENTRIES);
}

/** A value that was meant for one destination must not come back for another: drops history and any staged value. */
export async function forgetEarlierAndPendingValues(tx: Tx, headerId: string): Promise<void> {
  await tx.delete(headerVersions).where(eq(headerVersions.headerId, headerId));
  await tx.update(globalHeaders).set(NO_PENDING).where(eq(globalHeaders.id, headerId));
}

/** Column values that clear a staged value. */
export const NO_PENDING = {
  pendingCiphertext: null,
  pendingKeyVersion: null,
  pendingPreview: null,
  pendingFingerprint: null,
  pendingAt: null,
  pendingBy: null,
  pendingTestStatus: null,
  pendingTestedAt: null,
} as const;
