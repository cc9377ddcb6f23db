import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { checkAddress } from './address';

export type ResolvedAddress = { address: string; family: 4 | 6 };
export type LookupAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

export type HostCheck =
  | { ok: true; addresses: ResolvedAddress[] }
  | { ok: false; code: 'dns_failed' | 'private_address'; message: string };

const systemLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

function abortPromise(signal: AbortSignal | undefined): Promise<never> | null {
  if (!signal) return null;
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** URL hostnames keep IPv6 literals in brackets; sockets and lookups want them bare. */
export function bareHostname(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * Resolves `hostname` once and checks EVERY address; the caller must connect only to the returned ones.
 * IP literals are checked without DNS. Throws only if `signal` aborts.
 */
export async function resolveCheckedAddresses(
  hostname: string,
  privateHosts: readonly string[],
  options: { lookup?: LookupAll; signal?: AbortSignal } = {},
): Promise<HostCheck> {
  const host = bareHostname(hostname);
  let found: { address: string; family: number }[];
  const literal = isIP(host);
  if (literal) {
    found = [{ address: host, family: literal }];
  } else {
    const lookup = (options.lookup ?? systemLookup)(host);
    const aborted = abortPromise(options.signal);
    try {
      found = await (aborted ? Promise.race([lookup, aborted]) : lookup);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      return { ok: false, code: 'dns_failed', message: 'The API host name could not be resolved.' };
    }
  }
  if (found.length === 0) return { ok: false, code: 'dns_failed', message: 'The API host name has no addresses.' };

  const addresses: ResolvedAddress[] = [];
  for (const { address, family } of found) {
    const check = checkAddress(address, hostname, privateHosts);
    if (!check.ok) return { ok: false, code: 'private_address', message: check.reason };
    addresses.push({ address, family: family === 6 ? 6 : 4 });
  }
  return { ok: true, addresses };
}

/**
 * A socket `lookup` that answers only from pre-checked addresses, so the connection cannot be
 * re-resolved to somewhere else (DNS rebinding). Unknown host names fail with ENOTFOUND.
 */
export function createPinnedLookup(pinned: ReadonlyMap<string, readonly ResolvedAddress[]>): LookupFunction {
  return (hostname, options, callback) => {
    const addresses = pinned.get(bareHostname(hostname).toLowerCase());
    if (!addresses || addresses.length === 0) {
      const error = Object.assign(new Error('Host was not checked before connecting.'), { code: 'ENOTFOUND' });
      callback(error, '', 4);
      return;
    }
    const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
    const usable = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
    if (usable.length === 0) {
      const error = Object.assign(new Error('No checked address of the requested family.'), { code: 'ENOTFOUND' });
      callback(error, '', 4);
      return;
    }
    if (options.all) {
      callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
    } else {
      const first = usable[0] as ResolvedAddress;
      callback(null, first.address, first.family);
    }
  };
}
