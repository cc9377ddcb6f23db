import { env } from '@/core/env';
import { normalizeHostForAllowlist } from './address';
import type { NetworkPolicy } from './types';

/** RUNTIME_PRIVATE_HOSTS, as set by whoever runs this server. */
export function operatorNetworkPolicy(): NetworkPolicy {
  return { privateHosts: env().RUNTIME_PRIVATE_HOSTS };
}

export function isOperatorListedHost(hostname: string, policy: NetworkPolicy): boolean {
  const host = normalizeHostForAllowlist(hostname);
  return policy.privateHosts.some((entry) => normalizeHostForAllowlist(entry) === host);
}

/**
 * Plain http carries credentials in clear, so it is allowed only to hosts the operator listed (a
 * self-hosted API on the same network). Returns the reason, or null when the URL may be called.
 */
export function plainHttpProblem(url: URL, policy: NetworkPolicy): string | null {
  if (url.protocol !== 'http:' || isOperatorListedHost(url.hostname, policy)) return null;
  return 'Plain http is allowed only to hosts the operator lists in RUNTIME_PRIVATE_HOSTS; use https.';
}
