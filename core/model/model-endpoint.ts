import { classifyAddress } from '@/core/upstream/address';
import { plainHttpProblem } from '@/core/upstream/network-policy';
import type { NetworkPolicy } from '@/core/upstream/types';

/**
 * The rules for a model endpoint's base URL (the destination of its API key): like API base URLs —
 * https, plain http only to hosts the operator lists — with no credentials, query or fragment.
 * Returns the problem, or null. Never quotes the input.
 */
export function modelBaseUrlProblem(raw: string, policy: NetworkPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Enter a URL such as https://api.openai.com/v1';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The model endpoint must be an https URL';
  if (url.username || url.password) return 'Credentials in the URL are not allowed — enter the API key in its own field';
  if (url.search || url.hash) return "The model endpoint can't have a query string or fragment";
  // Before the operator's list comes up: no setting opens these, so none is suggested.
  const kind = classifyAddress(url.hostname);
  if (kind === 'metadata') return 'That is a cloud metadata address: calls there are never allowed';
  if (kind === 'unspecified' || kind === 'multicast') return 'That address can never be called; enter the address of the model server';
  return plainHttpProblem(url, policy);
}
