import { env } from '@/core/env';
import { normalizeHostForAllowlist } from './address';
import { hostsOpenOnPort, urlPort } from './private-hosts';
import type { NetworkPolicy } from './types';

/** RUNTIME_PRIVATE_HOSTS, as set by whoever runs this server. */
export function operatorNetworkPolicy(): NetworkPolicy {
  return { privateHosts: env().RUNTIME_PRIVATE_HOSTS };
}

/**
 * The policy for calls to `url`'s port: only the hosts the operator opened on that port (a bare host
 * opens every port, `host:port` one). Pass this, never the whole list, to the address checks.
 */
export function policyForUrl(url: URL, policy: NetworkPolicy): NetworkPolicy {
  return { privateHosts: hostsOpenOnPort(policy.privateHosts, urlPort(url)) };
}

export function isOperatorListedHost(url: URL, policy: NetworkPolicy): boolean {
  const host = normalizeHostForAllowlist(url.hostname);
  return policyForUrl(url, policy).privateHosts.includes(host);
}

/**
 * Plain http carries credentials in clear, so it is allowed only to hosts the operator listed (a
 * self-hosted API on the same network). Returns the reason, or null when the URL may be called.
 */
export function plainHttpProblem(url: URL, policy: NetworkPolicy): string | null {
  if (url.protocol !== 'http:' || isOperatorListedHost(url, policy)) return null;
  return 'Plain http is allowed only to hosts the operator lists in RUNTIME_PRIVATE_HOSTS; use https.';
}
