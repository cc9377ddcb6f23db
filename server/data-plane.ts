// The runtime data plane: a plain node:http request handler for everything under /api/v1, so one
// load-balancer rule can send the whole runtime API to it. `npm start` / `npm run dev` mount it inside
// the edge process (server/main.ts); `npm run runtime` serves it alone (server/runtime.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientAddress } from '@/core/edge';
import { sendError, sendFailure, sendJson } from '@/core/runtime/http';
import { proxyRoute } from '@/core/runtime/proxy';
import { relayRoute } from '@/core/runtime/relay';
import { widgetChatRoute } from './widget-chat';
import type { RuntimeHandler, RuntimeServices } from '@/core/runtime/services';

export const RUNTIME_PREFIX = '/api/v1';

type Route = { segments: string[]; wildcard: boolean; handler: RuntimeHandler };

export type DataPlane = {
  /** Adds a route: `/api/v1/relay`, `/api/v1/widgets/:token/chat`, or a prefix `/api/v1/proxy/*`. */
  route(pattern: string, handler: RuntimeHandler): void;
  /** True for every URL under /api/v1 (unknown ones get a JSON 404 here, never the dashboard). */
  owns(url: string | undefined): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
  readonly services: RuntimeServices;
};

function isUnderPrefix(url: string, prefix: string): boolean {
  if (!url.startsWith(prefix)) return false;
  const next = url.charCodeAt(prefix.length);
  return Number.isNaN(next) || next === 47 /* / */ || next === 63 /* ? */;
}

/** The data plane's router over the shared services; the runtime API's own routes are already added. */
export function createDataPlane(services: RuntimeServices, { trustedProxyHops }: { trustedProxyHops: number }): DataPlane {
  const routes: Route[] = [];

  function route(pattern: string, handler: RuntimeHandler): void {
    const wildcard = pattern.endsWith('/*');
    const segments = (wildcard ? pattern.slice(0, -2) : pattern).split('/').filter(Boolean);
    routes.push({ segments, wildcard, handler });
  }

  function match(url: string): { route: Route; params: Record<string, string>; rest: string } | null {
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const parts = path.split('/').filter(Boolean);
    for (const candidate of routes) {
      const { segments, wildcard } = candidate;
      if (wildcard ? parts.length < segments.length : parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let matched = true;
      for (let i = 0; i < segments.length && matched; i++) {
        const segment = segments[i]!;
        if (segment.startsWith(':')) params[segment.slice(1)] = parts[i]!;
        else matched = segment === parts[i];
      }
      if (!matched) continue;
      if (!wildcard) return { route: candidate, params, rest: '' };
      const prefix = `/${segments.join('/')}`;
      // The raw rest (still percent-encoded), so the destination check sees exactly what was sent.
      if (isUnderPrefix(url, prefix)) return { route: candidate, params, rest: url.slice(prefix.length) };
    }
    return null;
  }

  route(`${RUNTIME_PREFIX}/health`, async ({ res }) => sendJson(res, 200, { status: 'ok' }));
  route(`${RUNTIME_PREFIX}/relay`, relayRoute);
  route(`${RUNTIME_PREFIX}/proxy/*`, proxyRoute);
  route(`${RUNTIME_PREFIX}/widgets/:token/chat`, widgetChatRoute(services));

  return {
    services,
    route,
    owns: (url) => url !== undefined && isUnderPrefix(url, RUNTIME_PREFIX),
    handle(req, res) {
      const url = req.url ?? '/';
      const found = match(url);
      if (!found) {
        sendError(req, res, 404, 'not_found', 'No such runtime API endpoint.');
        return;
      }
      const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustedProxyHops);
      found.route
        .handler({ req, res, params: found.params, rest: found.rest, clientAddress: address, services })
        .catch((error: unknown) => sendFailure(req, res, error));
    },
  };
}
