'use client';

import { startAuthentication, startRegistration, type PublicKeyCredentialCreationOptionsJSON, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import type { ActionResult } from '@/core/action-result';

type Challenge<O> = { challengeId: string; options: O };

/** The browser's answer, or a message when the person cancelled or the device refused. */
async function ask<O, R>(run: (options: O) => Promise<R>, challenge: Challenge<O>): Promise<{ ok: true; response: R } | { ok: false; message: string }> {
  try {
    return { ok: true, response: await run(challenge.options) };
  } catch (error) {
    const cancelled = error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError');
    return { ok: false, message: cancelled ? 'The passkey request was cancelled or timed out.' : 'This browser or device could not use a passkey here.' };
  }
}

/** Answers a challenge with an existing passkey, then hands the answer to `finish` (a server action). */
export async function answerWithPasskey<T>(
  start: () => Promise<ActionResult<Challenge<PublicKeyCredentialRequestOptionsJSON>>>,
  finish: (input: { challengeId: string; response: Awaited<ReturnType<typeof startAuthentication>> }) => Promise<ActionResult<T>>,
): Promise<ActionResult<T>> {
  const challenge = await start();
  if (!challenge.ok) return challenge;
  const answer = await ask((optionsJSON) => startAuthentication({ optionsJSON }), challenge.data);
  if (!answer.ok) return answer;
  return finish({ challengeId: challenge.data.challengeId, response: answer.response });
}

/** Creates a new passkey for a registration challenge and hands it to `finish`. */
export async function createPasskey<T>(
  start: () => Promise<ActionResult<Challenge<PublicKeyCredentialCreationOptionsJSON>>>,
  finish: (input: { challengeId: string; response: Awaited<ReturnType<typeof startRegistration>> }) => Promise<ActionResult<T>>,
): Promise<ActionResult<T>> {
  const challenge = await start();
  if (!challenge.ok) return challenge;
  const answer = await ask((optionsJSON) => startRegistration({ optionsJSON }), challenge.data);
  if (!answer.ok) return answer;
  return finish({ challengeId: challenge.data.challengeId, response: answer.response });
}
