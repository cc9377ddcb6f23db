import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { globalHeaders, headerVersions, users, type AuditMetadata } from '@/db/schema';
import { confirmAnyway, fail, ok, stale, type ActionResult } from '@/core/action-result';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { recordAudit } from '@/lib/audit/record';
import { lockHeaderRow, NO_PENDING, restorableVersions, retireCurrentValue, type LockedHeader } from '../history';
import { passedTest, type pendingValueSchema, type promoteSchema, type rollbackSchema, type stageValueSchema } from './rotation-schema';
import { newSecretValue } from '../schema';
import { sealHeaderValue, type SealedHeaderValue } from '../seal';
import type { z } from 'zod';

/**
 * Who runs a rotation step: a signed-in user (server actions) or an admin API token (the REST API).
 * `userId` goes into the header's *_by columns (null for a token); `audit` is the audit event's actor;
 * `auditMetadata` is added to every event (the token's id).
 */
export type RotationActor = { userId: string | null; audit: { id: string | null; email: string }; auditMetadata: AuditMetadata };

export function userActor(user: { id: string; email: string }): RotationActor {
  return { userId: user.id, audit: { id: user.id, email: user.email }, auditMetadata: {} };
}

/** What a rotation step needs to know of where it runs. */
export type RotationContext = { db: Db; copilotId: string; actor: RotationActor };

const GONE = 'This header no longer exists — reload the page.';
const STALE = 'Someone else changed this header in the meantime (another rotation, an edit or a rollback) — reload to see its latest state.';

type Step = (tx: Tx, header: LockedHeader, now: Date) => Promise<ActionResult<{ version: number }>>;

/** Locks the header, checks it is the version the admin saw, then runs one rotation step in the transaction. */
export async function withHeader({ db, copilotId }: RotationContext, input: { headerId: string; expectedVersion: number }, step: Step) {
  return db.transaction(async (tx) => {
    const header = await lockHeaderRow(tx, { copilotId, headerId: input.headerId });
    if (!header) return fail(GONE);
    if (header.version !== input.expectedVersion) return stale(STALE);
    return step(tx, header, new Date());
  });
}

async function emailOf(tx: Tx, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const [row] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email ?? null;
}

/**
 * Saves a sealed value as the header's pending value under the next version (the runtime keeps sending the
 * current one): rotation's step 1, and a value copied from another environment as "stage". The caller audits.
 */
export async function writePendingValue(tx: Tx, header: LockedHeader, sealed: SealedHeaderValue, { userId, now }: { userId: string | null; now: Date }): Promise<number> {
  const version = header.version + 1;
  await tx
    .update(globalHeaders)
    .set({
      ...NO_PENDING,
      pendingCiphertext: sealed.ciphertext,
      pendingKeyVersion: sealed.keyVersion,
      pendingPreview: sealed.preview,
      pendingFingerprint: sealed.fingerprint,
      pendingAt: now,
      pendingBy: userId,
      version,
      updatedAt: now,
      updatedBy: userId,
    })
    .where(eq(globalHeaders.id, header.id));
  return version;
}

/** Rotate, step 1: save a new value as pending. The runtime keeps sending the current one. */
export async function stageHeaderValue(ctx: RotationContext, input: z.output<typeof stageValueSchema>) {
  return withHeader(ctx, input, async (tx, header, now) => {
    const { copilotId, actor } = ctx;
    if (header.kind !== input.kind) return fail("A header's kind can't change.", { kind: ['The kind of a header cannot change'] });
    if (header.pendingCiphertext) {
      const by = await emailOf(tx, header.pendingBy);
      return fail(`A new value is already pending${by ? ` (staged by ${by})` : ''}. Promote or cancel it first.`);
    }
    const value = newSecretValue(header.kind, input);
    if (value === null) throw new Error('stageValueSchema lets no empty value through');
    const sealed = sealHeaderValue({ copilotId, headerId: header.id }, header.kind, value);
    if (header.valueFingerprint === sealed.fingerprint) {
      const field = header.kind === 'bearer' ? 'token' : header.kind === 'basic' ? 'password' : 'value';
      return fail('That is the current value: enter the new one.', { [field]: ['This is the value the copilot already sends'] });
    }
    const version = await writePendingValue(tx, header, sealed, { userId: actor.userId, now });
    await recordAudit(tx, { copilotId, actor: actor.audit, action: 'header.rotation_stage', target: header.name, metadata: { version, ...actor.auditMetadata } });
    return ok({ version });
  });
}

/**
 * Promote and rollback: keeps the current value as an earlier version, then makes `value` current under
 * the next version number (a new rotation: failure counts restart). Promote also clears the pending columns.
 */
async function makeValueCurrent(
  tx: Tx,
  header: LockedHeader,
  value: { ciphertext: Buffer; keyVersion: number; preview: string; fingerprint: string | null },
  { actor, now, clearPending = false }: { actor: RotationActor; now: Date; clearPending?: boolean },
): Promise<number> {
  await retireCurrentValue(tx, header, { retiredBy: actor.userId, now });
  const version = header.version + 1;
  await tx
    .update(globalHeaders)
    .set({
      ciphertext: value.ciphertext,
      keyVersion: value.keyVersion,
      preview: value.preview,
      valueFingerprint: value.fingerprint,
      ...(clearPending ? NO_PENDING : {}),
      rotatedAt: now,
      rotatedBy: actor.userId,
      authFailuresSinceRotation: 0,
      version,
      valueNumber: header.valueNumber + 1,
      updatedAt: now,
      updatedBy: actor.userId,
    })
    .where(eq(globalHeaders.id, header.id));
  return version;
}

/**
 * Rotate, step 2: the pending value becomes current; the old one is kept for rollback. Runtimes reload.
 * A value whose last test did not pass (or that was never tested) is promoted only with `anyway`, audited as such.
 */
export async function promoteHeaderValue(ctx: RotationContext, input: z.output<typeof promoteSchema>) {
  return withHeader(ctx, input, async (tx, header, now) => {
    const { copilotId, actor } = ctx;
    if (!header.pendingCiphertext || header.pendingKeyVersion === null || header.pendingPreview === null) return fail('There is no pending value to promote — reload the page.');
    const passed = passedTest(header.pendingTestStatus);
    if (!passed && !input.anyway) {
      return confirmAnyway(
        header.pendingTestStatus === null
          ? `The pending value of ${header.name} has not been tested: send a test first, or promote it anyway.`
          : `The last test of the pending value of ${header.name} was answered ${header.pendingTestStatus}: calls with it may fail. Send another test, or promote it anyway.`,
      );
    }
    const version = await makeValueCurrent(
      tx,
      header,
      { ciphertext: header.pendingCiphertext, keyVersion: header.pendingKeyVersion, preview: header.pendingPreview, fingerprint: header.pendingFingerprint },
      { actor, now, clearPending: true },
    );
    await recordAudit(tx, {
      copilotId,
      actor: actor.audit,
      action: 'header.rotation_promote',
      target: header.name,
      metadata: { version, previousVersion: header.version, pendingTestStatus: header.pendingTestStatus, ...(passed ? {} : { withoutPassingTest: true }), ...actor.auditMetadata },
    });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok({ version });
  });
}

/** Rotate, abandoned: the pending value is destroyed; nothing else changes. */
export async function cancelPendingValue(ctx: RotationContext, input: z.output<typeof pendingValueSchema>) {
  return withHeader(ctx, input, async (tx, header, now) => {
    const { copilotId, actor } = ctx;
    if (!header.pendingCiphertext) return fail('There is no pending value to cancel — reload the page.');
    const version = header.version + 1;
    await tx.update(globalHeaders).set({ ...NO_PENDING, version, updatedAt: now, updatedBy: actor.userId }).where(eq(globalHeaders.id, header.id));
    await recordAudit(tx, { copilotId, actor: actor.audit, action: 'header.rotation_cancel', target: header.name, metadata: { version, ...actor.auditMetadata } });
    return ok({ version });
  });
}

/** Makes an earlier value current again under a new version number; the value it replaces is kept in turn. */
export async function rollbackHeaderValue(ctx: RotationContext, input: z.output<typeof rollbackSchema>) {
  return withHeader(ctx, input, async (tx, header, now) => {
    const { copilotId, actor } = ctx;
    const earlier = (await restorableVersions(tx, header.id, now)).find((v) => v.version === input.toVersion);
    if (!earlier) return fail(`Version ${input.toVersion} is no longer kept (earlier values expire) — reload the history.`, { toVersion: ['No longer available'] });
    await tx.delete(headerVersions).where(and(eq(headerVersions.headerId, header.id), eq(headerVersions.version, earlier.version)));
    const version = await makeValueCurrent(tx, header, earlier, { actor, now });
    await recordAudit(tx, {
      copilotId,
      actor: actor.audit,
      action: 'header.rollback',
      target: header.name,
      metadata: { version, restoredVersion: earlier.version, restoredValueNumber: earlier.valueNumber, replacedVersion: header.version, ...actor.auditMetadata },
    });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok({ version });
  });
}

