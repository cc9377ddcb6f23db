import 'server-only';
import { headers } from 'next/headers';
import { CLIENT_ADDRESS_HEADER, isFrontDoorRunning } from '@/core/front-door';

/**
 * The client address for throttling and audit, as the node:http front door (server/main.ts) saw it: the
 * socket's peer, or what TRUSTED_PROXY_HOPS trusted proxies reported. Null when no front door runs in this
 * process (a bare `next start`): then nothing a client can send is believed, and callers throttle
 * by account and globally instead.
 */
export function clientIp(headers: Headers): string | null {
  if (!isFrontDoorRunning()) return null;
  return headers.get(CLIENT_ADDRESS_HEADER) || null;
}

/** The client address of the request being handled, or null outside a request (scripts, tests). */
export async function currentRequestIp(): Promise<string | null> {
  try {
    return clientIp(await headers());
  } catch {
    return null;
  }
}
