// The contract between the front door — the node:http server of server/main.ts that owns the socket — and code behind it (Next.js pages, actions and
// route handlers). Next's `headers()` gives route code only request headers, never the socket, so the
// front door — which sees the socket — writes the client address into one header of its own, after deleting
// any value a client sent. Route code believes that header only when the front door says it is running in
// this process (a flag on globalThis, which Next's bundles share with the front door); under a bare
// `next start` nothing sets the flag and no client-supplied header is believed.
import type { IncomingMessage } from 'node:http';

/** Set by the front door on every request it passes on; a value from the client is always removed first. */
export const CLIENT_ADDRESS_HEADER = 'x-copilot-headers-client-address';

const FRONT_DOOR_FLAG = Symbol.for('copilot-headers.front-door');

type FrontDoorGlobal = { [FRONT_DOOR_FLAG]?: true };

export function markFrontDoorRunning(): void {
  (globalThis as FrontDoorGlobal)[FRONT_DOOR_FLAG] = true;
}

export function isFrontDoorRunning(): boolean {
  return (globalThis as FrontDoorGlobal)[FRONT_DOOR_FLAG] === true;
}

/** '::ffff:127.0.0.1' → '127.0.0.1'; other addresses unchanged. */
export function normalizeAddress(address: string | undefined | null): string | null {
  if (!address) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * The client's address as the front door determines it. With no trusted proxies the socket's peer is the
 * client and no header is believed. Behind N trusted proxies that each append the address they saw to
 * X-Forwarded-For, the client is the N-th entry from the right; fewer entries than that means the
 * request did not come through the proxies as configured, and the answer is "unknown".
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedProxyHops: number): string | null {
  if (trustedProxyHops === 0) return normalizeAddress(socketAddress);
  const joined = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const hops = joined.split(',').map((s) => s.trim()).filter(Boolean);
  const candidate = hops[hops.length - trustedProxyHops];
  return candidate && /^[0-9a-fA-F.:]+$/.test(candidate) ? normalizeAddress(candidate) : null;
}

/** Replaces whatever the client sent in our own address header with what the front door determined. */
export function stampClientAddress(req: IncomingMessage, trustedProxyHops: number): void {
  delete req.headers[CLIENT_ADDRESS_HEADER];
  const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustedProxyHops);
  if (address) req.headers[CLIENT_ADDRESS_HEADER] = address;
}
