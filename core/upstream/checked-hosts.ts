import type { Agent } from 'undici';
import { pinnedAgent } from './agents';
import type { CallAbort } from './call-abort';
import { resolveCheckedAddresses, type LookupAll } from './resolve-host';
import type { NetworkPolicy } from './types';

export type CheckedHost = { ok: true; agent: Agent } | { ok: false; code: 'dns_failed' | 'private_address'; message: string };

/** How long a host name's checked addresses are reused before it is resolved and checked again. */
const NAME_TTL_MS = 10_000;
const MAX_ENTRIES = 1_000;
const cache = new Map<string, { check: CheckedHost & { ok: true }; expires: number }>();

/**
 * The keep-alive pool for `hostname`, pinned to addresses that passed the operator's network policy
 * (resolve-host.ts, agents.ts). An IP literal's answer never changes, so it is kept; a name's for 10 s,
 * like the connections already open to it. Refusals and DNS failures are never kept, and a test's own
 * resolver (`lookup`) bypasses the cache. A cached answer is returned as is (no promise): this runs on
 * every call.
 */
export function checkedHost(hostname: string, network: NetworkPolicy, options: { lookup?: LookupAll; abort?: CallAbort } = {}): CheckedHost | Promise<CheckedHost> {
  const key = `${hostname}\n${network.privateHosts.join(',')}`;
  if (!options.lookup) {
    const hit = cache.get(key);
    // agents.ts closes the least recently created pools beyond its limit: a closed one is a miss.
    if (hit && hit.expires > Date.now() && !hit.check.agent.closed && !hit.check.agent.destroyed) return hit.check;
  }
  return checkAndKeep(hostname, network, key, options);
}

async function checkAndKeep(hostname: string, network: NetworkPolicy, key: string, options: { lookup?: LookupAll; abort?: CallAbort }): Promise<CheckedHost> {
  const now = Date.now();
  const resolved = await resolveCheckedAddresses(hostname, network.privateHosts, { lookup: options.lookup, signal: options.abort?.signal });
  if (!resolved.ok) return resolved;
  const check = { ok: true as const, agent: pinnedAgent(hostname, resolved.addresses) };
  if (!options.lookup) {
    const literal = resolved.addresses.length === 1 && resolved.addresses[0]!.address === hostname.replace(/^\[|\]$/g, '');
    cache.delete(key);
    cache.set(key, { check, expires: literal ? Number.POSITIVE_INFINITY : now + NAME_TTL_MS });
    for (const old of cache.keys()) {
      if (cache.size <= MAX_ENTRIES) break;
      cache.delete(old);
    }
  }
  return check;
}
