// Masked previews: computed at write time and the only form of a value a browser sees.
import type { HeaderKind } from './schema';

/** A fixed run, so a preview never reveals the secret's length. */
export const MASK = '••••••••';
export const PREVIEW_TAIL_CHARS = 4;
/** A tail is shown only from this length on, so it is never more than a quarter of the secret. */
export const PREVIEW_TAIL_MIN_LENGTH = 16;

const SCHEME = /^(bearer|basic) +/i;

/**
 * "Bearer ••••••••wxyz", "Basic ••••••••", "••••••••wxyz" or "••••••••".
 * The scheme word is kept for Bearer/Basic (for any kind whose value starts with it). Basic never
 * shows a tail: the end of its base64 encodes the end of the password.
 */
export function maskedPreview(kind: HeaderKind, storedValue: string): string {
  const scheme = SCHEME.exec(storedValue);
  const word = scheme?.[1]?.toLowerCase();
  if (kind === 'basic' || word === 'basic') return `Basic ${MASK}`;
  const secret = scheme ? storedValue.slice(scheme[0].length) : storedValue;
  const prefix = word === 'bearer' ? 'Bearer ' : '';
  const tail = secret.length >= PREVIEW_TAIL_MIN_LENGTH ? secret.slice(-PREVIEW_TAIL_CHARS) : '';
  return prefix + MASK + tail;
}
