import OpenAI from 'openai';
import { fetch as undiciFetch } from 'undici';
import { pinnedAgent } from '@/core/upstream/agents';
import { plainHttpProblem, policyForUrl } from '@/core/upstream/network-policy';
import type { Redactor } from '@/core/upstream/redact';
import { resolveCheckedAddresses } from '@/core/upstream/resolve-host';
import type { NetworkPolicy } from '@/core/upstream/types';
import type { ModelConfig } from './types';

const MODEL_TIMEOUT_MS = 60_000;

/** The model endpoint's address is refused by the operator's network rules (reported by name only). */
export class ModelEndpointRefused extends Error {
  override readonly name = 'ModelEndpointRefused';
}

/**
 * fetch for the OpenAI SDK that connects only to checked addresses of the endpoint's host (no
 * private address unless the operator lists the host, no DNS rebinding), never follows a redirect
 * (the key would go with it), and passes every request body through the turn's redactor as a last
 * line of defence: nothing the runtime holds as a credential reaches the model provider.
 */
function guardedFetch(policy: NetworkPolicy, redactor: Redactor, hasKey: boolean): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (plainHttpProblem(url, policy)) throw new ModelEndpointRefused('plain http to a host the operator did not list');
    const check = await resolveCheckedAddresses(url.hostname, policyForUrl(url, policy).privateHosts, { signal: init?.signal ?? undefined });
    if (!check.ok) throw new ModelEndpointRefused(check.code);
    const headers = new Headers(init?.headers);
    if (!hasKey) headers.delete('authorization');
    const body = typeof init?.body === 'string' ? redactor.text(init.body) : init?.body;
    return undiciFetch(url, {
      ...(init as object),
      headers,
      body,
      redirect: 'error',
      dispatcher: pinnedAgent(url.hostname, check.addresses),
    } as Parameters<typeof undiciFetch>[1]);
  }) as unknown as typeof fetch;
}

/**
 * An OpenAI-compatible client for one turn. Everything the SDK would read from the environment
 * (OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_LOG, …) is set explicitly, so only this copilot's settings
 * apply and the SDK never logs a request.
 */
export function createModelClient(model: ModelConfig, { policy, redactor }: { policy: NetworkPolicy; redactor: Redactor }): OpenAI {
  return new OpenAI({
    baseURL: model.baseUrl,
    apiKey: model.apiKey ?? 'no-key',
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: MODEL_TIMEOUT_MS,
    logLevel: 'off',
    fetch: guardedFetch(policy, redactor, model.apiKey !== null),
  });
}
