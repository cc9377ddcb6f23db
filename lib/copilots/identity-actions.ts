'use server';

import { randomBytes } from 'node:crypto';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { copilots } from '@/db/schema';
import { fail, ok } from '@/core/action-result';
import { encryptSecret } from '@/core/crypto/aead';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import { operatorNetworkPolicy, plainHttpProblem } from '@/core/upstream/network-policy';
import { recordAudit } from '@/lib/audit/record';
import { copilotAction } from '@/lib/auth/guard';
import { copilotIdSchema, IDENTITY_SECRET_OVERLAP, identityKeysSchema, rotateIdentitySecretSchema } from './schema';

/** Identity secrets start with a recognisable prefix (secret scanners, and people, can tell what leaked). */
const IDENTITY_SECRET_PREFIX = 'cpid_';

/**
 * A new identity secret (256 random bits), returned this once and stored only encrypted under the keyring.
 * Whoever holds it can sign in any user of the widget (and fill `{{user.id}}` templates), so it is the
 * owners', with a recently confirmed password, like the API base URLs. With an overlap the secret being
 * replaced keeps verifying tokens until it ends (one previous secret at most). Audited without any value.
 */
export const rotateIdentitySecretAction = copilotAction(
  'owner',
  rotateIdentitySecretSchema,
  async ({ db, user, copilotId }, input) => {
    const secret = IDENTITY_SECRET_PREFIX + randomBytes(32).toString('base64url');
    const { ciphertext, keyVersion } = encryptSecret(secret, { copilotId, purpose: 'identity-secret' });
    const overlapMs = IDENTITY_SECRET_OVERLAP[input.overlap];
    return db.transaction(async (tx) => {
      const [before] = await tx
        .select({ ciphertext: copilots.identitySecretCiphertext, keyVersion: copilots.identitySecretKeyVersion })
        .from(copilots)
        .where(eq(copilots.id, copilotId))
        .for('update');
      if (!before) return fail('This copilot no longer exists.');
      const rotated = before.ciphertext !== null;
      // The ciphertext moves as is: the previous secret keeps the copilot's binding.
      const keepPrevious = rotated && overlapMs > 0;
      const [row] = await tx
        .update(copilots)
        .set({
          identitySecretCiphertext: ciphertext,
          identitySecretKeyVersion: keyVersion,
          previousIdentitySecretCiphertext: keepPrevious ? before.ciphertext : null,
          previousIdentitySecretKeyVersion: keepPrevious ? before.keyVersion : null,
          previousIdentitySecretExpiresAt: keepPrevious ? sql`now() + make_interval(secs => ${overlapMs / 1000})` : null,
          updatedAt: new Date(),
        })
        .where(eq(copilots.id, copilotId))
        .returning({ previousValidUntil: copilots.previousIdentitySecretExpiresAt });
      const previousValidUntil = row?.previousValidUntil ?? null;
      await recordAudit(tx, {
        copilotId,
        actor: user,
        action: 'copilot.identity_secret_rotate',
        metadata: { rotated, overlap: rotated ? input.overlap : null, previousSecretValidUntil: previousValidUntil?.toISOString() ?? null },
      });
      await bumpRuntimeGeneration(tx, { copilotId });
      return ok({ secret, previousValidUntil });
    });
  },
  { recentAuth: true },
);

/** "Stop the old one now": tokens signed with the previous identity secret are refused from the next message on. */
export const endIdentitySecretOverlapAction = copilotAction('owner', copilotIdSchema, async ({ db, user, copilotId }) => {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(copilots)
      .set({ previousIdentitySecretCiphertext: null, previousIdentitySecretKeyVersion: null, previousIdentitySecretExpiresAt: null, updatedAt: new Date() })
      .where(and(eq(copilots.id, copilotId), isNotNull(copilots.previousIdentitySecretCiphertext)))
      .returning({ id: copilots.id });
    if (!row) return fail('There is no previous identity secret to stop.');
    await recordAudit(tx, { copilotId, actor: user, action: 'copilot.identity_secret_overlap_end' });
    await bumpRuntimeGeneration(tx, { copilotId });
    return ok(undefined);
  });
});

/**
 * Where RS256/ES256 identity tokens' public keys come from (the JWKS URL) and the issuer they must name.
 * Whoever sets the JWKS URL decides which signatures sign users in: owners only, with a recently
 * confirmed password ([sudo-for-destinations]). Plain http only to hosts the operator lists. Audited with
 * both values (neither is secret).
 */
export const updateIdentityKeysAction = copilotAction(
  'owner',
  identityKeysSchema,
  async ({ db, user, copilotId }, input) => {
    if (input.jwksUrl && plainHttpProblem(new URL(input.jwksUrl), operatorNetworkPolicy())) {
      return fail('Please fix the highlighted fields.', { jwksUrl: ['Use https: plain http is allowed only to hosts the operator lists in RUNTIME_PRIVATE_HOSTS'] });
    }
    return db.transaction(async (tx) => {
      const [row] = await tx
        .update(copilots)
        .set({ identityJwksUrl: input.jwksUrl, identityIssuer: input.issuer, updatedAt: new Date() })
        .where(eq(copilots.id, copilotId))
        .returning({ id: copilots.id });
      if (!row) return fail('This copilot no longer exists.');
      await recordAudit(tx, { copilotId, actor: user, action: 'copilot.identity_keys_update', metadata: { jwksUrl: input.jwksUrl, issuer: input.issuer } });
      await bumpRuntimeGeneration(tx, { copilotId });
      return ok(undefined);
    });
  },
  { recentAuth: true },
);
