// RUNTIME_PRIVATE_HOSTS entries: `host` (every port of that host) or `host:port` (that port only);
// IPv6 as `[::1]` or `[::1]:8080` (a bare `::1` is a host without a port). One parser, used by env
// validation (core/env.ts) and by the network policy (network-policy.ts) that applies the list.
import { isIP } from 'node:net';
import { normalizeHostForAllowlist } from './address';

export type PrivateHostEntry = { host: string; port: number | null };

const HOST = /^[a-z0-9.:-]+$/;

/** Parses one entry, or null when it is not a host name / IP literal with an optional port 1–65535. */
export function parsePrivateHost(raw: string): PrivateHostEntry | null {
  const entry = raw.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const [host, port] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : entry.split(':').length === 2
      ? (entry.split(':') as [string, string])
      : [entry, undefined];
  if (!host || !HOST.test(host) || host.includes('..')) return null;
  if (host.includes(':') && isIP(host) !== 6) return null;
  if (port === undefined) return { host: normalizeHostForAllowlist(host), port: null };
  const number = /^\d{1,5}$/.test(port) ? Number(port) : 0;
  if (number < 1 || number > 65535) return null;
  return { host: normalizeHostForAllowlist(host), port: number };
}

/** The canonical spelling of an entry: `host`, `host:port`, or `[v6]:port`. */
export function formatPrivateHost({ host, port }: PrivateHostEntry): string {
  if (port === null) return host;
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The port a URL connects to: its own, or its scheme's default. */
export function urlPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

const openByList = new WeakMap<readonly string[], Map<number, readonly string[]>>();

/**
 * The hosts the list opens on `port`: every bare host, and every `host:port` entry naming that port.
 * Asked on every outgoing call, so each list is parsed once per port (lists are the operator's, fixed
 * at start, or a test's own).
 */
export function hostsOpenOnPort(entries: readonly string[], port: number): readonly string[] {
  let byPort = openByList.get(entries);
  if (!byPort) openByList.set(entries, (byPort = new Map()));
  let open = byPort.get(port);
  if (!open) {
    open = Object.freeze(
      entries.flatMap((raw) => {
        const entry = parsePrivateHost(raw);
        return entry && (entry.port === null || entry.port === port) ? [entry.host] : [];
      }),
    );
    byPort.set(port, open);
  }
  return open;
}
