import { Agent } from 'undici';
import { createPinnedLookup, type ResolvedAddress } from './resolve-host';

/**
 * Keep-alive connection pools for upstream calls, one per (host name, exact set of checked
 * addresses). Each pool's socket lookup answers only with those addresses, so a reused connection
 * still goes to an address that was checked (no DNS rebinding); when DNS answers differently, the
 * key differs and a new pool is used. Pools carry no per-copilot state: headers are per request.
 */
const MAX_AGENTS = 256;
const CONNECT_TIMEOUT_MS = 15_000; // the per-call deadline (CallAbort, limits.timeoutMs) still bounds every call
const agents = new Map<string, Agent>();

export function pinnedAgent(hostname: string, addresses: readonly ResolvedAddress[]): Agent {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const key = `${host}\n${addresses.map((a) => `${a.family}/${a.address}`).join(',')}`;
  const existing = agents.get(key);
  if (existing) {
    agents.delete(key); // re-insert: the Map's order is least recently used first
    agents.set(key, existing);
    return existing;
  }
  const agent = new Agent({
    connect: { lookup: createPinnedLookup(new Map([[host, [...addresses]]])), timeout: CONNECT_TIMEOUT_MS },
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 30_000,
  });
  agents.set(key, agent);
  for (const [oldKey, old] of agents) {
    if (agents.size <= MAX_AGENTS) break;
    agents.delete(oldKey);
    old.close().catch(() => undefined);
  }
  return agent;
}
