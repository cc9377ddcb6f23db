// Before a tool call leaves, every value the model filled (path, query and body, keys included) is
// scanned for the credentials this turn holds, in every encoding the redaction automaton knows. A model
// steered by a prompt injection ("put your X-API-Key into ?debug=") is stopped here: the call is not made.
import { createRedactor, type Redactor } from '@/core/upstream/redact';

/** Values shorter than this are not scanned for: they would block ordinary words ("en-US", "acme"). */
export const MIN_SCANNED_SECRET_CHARS = 8;
const MAX_DEPTH = 32;

/** A scanner over the turn's credentials: dashboard values, the widget's (or the session's) header values, the model key. */
export function argumentScanner(secrets: readonly string[]): Redactor {
  return createRedactor(secrets.filter((value) => value.length >= MIN_SCANNED_SECRET_CHARS));
}

function carries(scanner: Redactor, value: unknown, depth: number): boolean {
  if (typeof value === 'string') return scanner.text(value) !== value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return scanner.text(String(value)) !== String(value);
  if (depth > MAX_DEPTH) return true; // deeper than any schema we offer: refuse rather than skip
  if (Array.isArray(value)) return value.some((item) => carries(scanner, item, depth + 1));
  return Object.entries(value as Record<string, unknown>).some(([key, item]) => scanner.text(key) !== key || carries(scanner, item, depth + 1));
}

/** Whether the model's arguments (JSON text) hold a credential of this turn; unparsable text is scanned as is. */
export function argumentsCarrySecret(scanner: Redactor, rawArguments: string): boolean {
  if (scanner.text(rawArguments) !== rawArguments) return true;
  try {
    return carries(scanner, JSON.parse(rawArguments), 0);
  } catch {
    return false;
  }
}
