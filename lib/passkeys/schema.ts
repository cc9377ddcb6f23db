import type { AuthenticationExtensionsClientOutputs } from '@simplewebauthn/server';
import { z } from 'zod';
import { displayText } from '@/core/text-input';

/** base64url text as WebAuthn encodes it, bounded: the browser's answers are small. */
const b64url = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9_-]*$/, 'Not base64url');

const common = {
  id: b64url(1366).min(1),
  rawId: b64url(1366).min(1),
  type: z.literal('public-key'),
  clientExtensionResults: z.custom<AuthenticationExtensionsClientOutputs>((v) => typeof v === 'object' && v !== null && !Array.isArray(v) && JSON.stringify(v).length < 4096, 'Not an object'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
};

export const registrationResponseSchema = z.object({
  ...common,
  response: z.object({
    clientDataJSON: b64url(4096),
    attestationObject: b64url(16384),
    authenticatorData: b64url(4096).optional(),
    transports: z.array(z.string().max(20)).max(8).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(4096).optional(),
  }),
});

export const authenticationResponseSchema = z.object({
  ...common,
  response: z.object({
    clientDataJSON: b64url(4096),
    authenticatorData: b64url(4096),
    signature: b64url(2048),
    userHandle: b64url(1024).optional(),
  }),
});

export const passkeyNameSchema = displayText().trim().min(1, 'Name this passkey').max(60, 'Use at most 60 characters');

export const finishRegistrationSchema = z.object({ challengeId: z.uuid(), name: passkeyNameSchema, response: registrationResponseSchema });
export const answerChallengeSchema = z.object({ challengeId: z.uuid(), response: authenticationResponseSchema });
export const renamePasskeySchema = z.object({ passkeyId: z.uuid(), name: passkeyNameSchema });
export const passkeyIdSchema = z.object({ passkeyId: z.uuid() });
