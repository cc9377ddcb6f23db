// What a server log may say about an unexpected error: the names and codes along its cause chain, never
// a message or a property holding data. Drizzle's message quotes the whole query with its parameters
// ("Failed query: insert … params: <values>"), driver errors carry `detail` ("Key (email)=(…) already
// exists"), and Node's URL errors carry `input`, so printing the error object would print user input.

const SQLSTATE = /^[0-9A-Z]{5}$/;
const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,40}$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** e.g. "DrizzleQueryError ← error (23514, constraint copilots_name_check)". */
export function summarizeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (!(current instanceof Error)) {
      parts.push(`a thrown ${typeof current}`);
      break;
    }
    const { code, constraint } = current as { code?: unknown; constraint?: unknown };
    const details = [
      typeof code === 'string' && (SQLSTATE.test(code) || ERROR_CODE.test(code)) ? code : null,
      typeof constraint === 'string' && IDENTIFIER.test(constraint) ? `constraint ${constraint}` : null,
    ].filter(Boolean);
    const name = IDENTIFIER.test(current.name) ? current.name : 'Error';
    parts.push(details.length ? `${name} (${details.join(', ')})` : name);
    current = current.cause;
  }
  return parts.join(' ← ') || 'unknown error';
}
