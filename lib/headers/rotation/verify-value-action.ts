'use server';

import { and, eq } from 'drizzle-orm';
import { globalHeaders } from '@/db/schema';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { decryptSecret } from '@/core/crypto/aead';
import { fingerprintsEqual, headerValueFingerprint, isCurrentFingerprint } from '@/core/crypto/value-fingerprint';
import { hitRateLimit } from '@/core/rate-limit';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction } from '@/lib/auth/guard';
import { restorableVersions } from '../history';
import type { HeaderKind } from '../schema';
import { VERIFY_ATTEMPTS_PER_MINUTE, verifyValueSchema, type VerifyOutcome } from './rotation-schema';

/**
 * The stored forms a pasted candidate could stand for: the value as sent, or for Bearer/Basic the bare
 * token or `user:password` the admin is more likely to hold. Surrounding whitespace (a pasted newline) is ignored.
 */
function candidateForms(kind: HeaderKind, pasted: string): string[] {
  const text = pasted.trim();
  const forms = new Set([text]);
  if (kind === 'bearer' && !/^bearer\s/i.test(text)) forms.add(`Bearer ${text}`);
  if (kind === 'bearer' && /^bearer\s/i.test(text)) forms.add(`Bearer ${text.replace(/^bearer\s+/i, '')}`);
  if (kind === 'basic' && /^basic\s/i.test(text)) forms.add(`Basic ${text.replace(/^basic\s+/i, '')}`);
  if (kind === 'basic' && !/^basic\s/i.test(text) && text.includes(':')) forms.add(`Basic ${Buffer.from(text, 'utf8').toString('base64')}`);
  return [...forms];
}

/**
 * Verify by paste: does a candidate equal the current, the pending or a kept earlier value? Compared
 * by HMAC fingerprint in constant time, every stored fingerprint against every form (no early exit).
 * The candidate is never stored, logged, audited or returned. Rate-limited per admin and copilot.
 */
export const verifyHeaderValueAction = copilotAction('admin', verifyValueSchema, async ({ db, user, copilotId }, input): Promise<ActionResult<VerifyOutcome>> => {
  const attempts = await hitRateLimit(db, { key: `verify-value:${copilotId}:${user.id}`, windowMs: 60_000 });
  if (attempts > VERIFY_ATTEMPTS_PER_MINUTE) return fail(`At most ${VERIFY_ATTEMPTS_PER_MINUTE} checks per minute. Wait a moment and try again.`);

  return db.transaction(async (tx) => {
    const [header] = await tx
      .select()
      .from(globalHeaders)
      .where(and(eq(globalHeaders.id, input.headerId), eq(globalHeaders.copilotId, copilotId)));
    if (!header) return fail('This header no longer exists — reload the page.');
    const binding = { copilotId, headerId: header.id };
    // Values stored before fingerprints existed, or fingerprinted under an earlier FINGERPRINT_KEY, are fingerprinted on the fly.
    const fingerprintOf = (stored: { fingerprint: string | null; ciphertext: Buffer; keyVersion: number }) =>
      stored.fingerprint && isCurrentFingerprint(stored.fingerprint) ? stored.fingerprint : headerValueFingerprint(binding, decryptSecret(stored, binding));

    const stored: { match: VerifyOutcome; fingerprint: string }[] = [
      { match: { match: 'current' }, fingerprint: fingerprintOf({ fingerprint: header.valueFingerprint, ciphertext: header.ciphertext, keyVersion: header.keyVersion }) },
    ];
    if (header.pendingCiphertext && header.pendingKeyVersion !== null) {
      const fingerprint = fingerprintOf({ fingerprint: header.pendingFingerprint, ciphertext: header.pendingCiphertext, keyVersion: header.pendingKeyVersion });
      stored.push({ match: { match: 'pending' }, fingerprint });
    }
    for (const earlier of await restorableVersions(tx, header.id)) {
      stored.push({ match: { match: 'previous', version: earlier.version, valueNumber: earlier.valueNumber, retiredAt: earlier.retiredAt }, fingerprint: fingerprintOf(earlier) });
    }

    const candidates = candidateForms(header.kind, input.candidate).map((form) => headerValueFingerprint(binding, form));
    let found: VerifyOutcome = { match: 'none' };
    for (const entry of stored) {
      let equal = false;
      for (const candidate of candidates) equal = fingerprintsEqual(candidate, entry.fingerprint) || equal;
      if (equal && found.match === 'none') found = entry.match;
    }
    await recordAudit(tx, {
      copilotId,
      actor: user,
      action: 'header.verify_value',
      target: header.name,
      metadata: { result: found.match, ...(found.match === 'previous' ? { matchedVersion: found.version } : {}) },
    });
    return ok(found);
  });
});
