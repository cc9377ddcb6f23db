import 'server-only';

/**
 * The client address for throttling and audit. `next start` appends the socket address to
 * X-Forwarded-For, so the last entry is the nearest hop; behind N trusted proxies set TRUSTED_PROXY_HOPS=N.
 */
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get('x-forwarded-for');
  if (!forwarded) return headers.get('x-real-ip');
  const hops = forwarded.split(',').map((s) => s.trim()).filter(Boolean);
  const skip = Number(process.env.TRUSTED_PROXY_HOPS || 0);
  return hops[Math.max(0, hops.length - 1 - skip)] ?? null;
}
