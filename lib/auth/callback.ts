/**
 * Where to go after signing in: a path on this site only. Anything else (another origin, `//host`,
 * `/\host`, control characters) falls back to the copilots list, so the parameter can't redirect away.
 */
export function safeCallbackPath(raw: unknown, fallback = '/copilots'): string {
  return typeof raw === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(raw) && raw.length <= 512 ? raw : fallback;
}
