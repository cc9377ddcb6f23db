// The runtime data plane: a plain node:http request handler for everything under /api/v1, so one
// load-balancer rule can send the whole runtime API to it. `npm start` / `npm run dev` mount it inside
// the front door process (server/main.ts); `npm run runtime` serves it alone (server/runtime.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { clientAddress } from '@/core/front-door';
import { componentLogger } from '@/core/observability/log';
import { routeMetrics, type RouteMetrics, type RouteName } from '@/core/observability/metrics';
import { endSpan, runInSpan, startSpan } from '@/core/observability/tracing';
import { REQUEST_ID_HEADER, requestIdOf, sendError, sendFailure, sendJson } from '@/server/data-plane/http';
import { proxyRoute } from '@/server/data-plane/routes/transparent-proxy';
import { relayRoute } from '@/server/data-plane/routes/relay';
import { mcpServeRoute } from './routes/mcp-serve';
import { widgetChatRoute } from './routes/widget-chat';
import { widgetSessionsRoute } from './routes/widget-sessions';
import type { RuntimeHandler, RuntimeServices } from '@/server/data-plane/services';

export const RUNTIME_PREFIX = '/api/v1';

type Route = { segments: string[]; wildcard: boolean; handler: RuntimeHandler; name: RouteName; metrics: RouteMetrics };

const log = componentLogger('data-plane');
const notFound = routeMetrics('not_found');

export type DataPlane = {
  /**
   * Adds a route: `/api/v1/relay`, `/api/v1/widgets/:token/chat`, or a prefix `/api/v1/proxy/*`;
   * `name` is how metrics, logs and spans call it (never the URL).
   */
  route(pattern: string, handler: RuntimeHandler, name?: RouteName): void;
  /** True for every URL under /api/v1 (unknown ones get a JSON 404 here, never the dashboard). */
  owns(url: string | undefined): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
  readonly services: RuntimeServices;
};

/** Counts the answer (by route and status), ends the call's span, and logs it at debug level. */
function answered(route: Route, res: ServerResponse, span: Span | null, error?: unknown): void {
  const status = res.statusCode;
  route.metrics.answered(status);
  if (span) {
    span.setAttribute('http.response.status_code', status);
    endSpan(span, error);
  }
  if (log.isDebugEnabled()) log.debug('answered', { route: route.name, status, requestId: String(res.getHeader(REQUEST_ID_HEADER)) });
}

function isUnderPrefix(url: string, prefix: string): boolean {
  if (!url.startsWith(prefix)) return false;
  const next = url.charCodeAt(prefix.length);
  return Number.isNaN(next) || next === 47 /* / */ || next === 63 /* ? */;
}

/** The data plane's router over the shared services; the runtime API's own routes are already added. */
export function createDataPlane(services: RuntimeServices, { trustedProxyHops }: { trustedProxyHops: number }): DataPlane {
  const routes: Route[] = [];

  function route(pattern: string, handler: RuntimeHandler, name: RouteName = 'other'): void {
    const wildcard = pattern.endsWith('/*');
    const segments = (wildcard ? pattern.slice(0, -2) : pattern).split('/').filter(Boolean);
    routes.push({ segments, wildcard, handler, name, metrics: routeMetrics(name) });
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

  route(`${RUNTIME_PREFIX}/health`, async ({ res }) => sendJson(res, 200, { status: 'ok' }), 'health');
  route(`${RUNTIME_PREFIX}/relay`, relayRoute, 'relay');
  route(`${RUNTIME_PREFIX}/proxy/*`, proxyRoute, 'proxy');
  route(`${RUNTIME_PREFIX}/widgets/sessions`, widgetSessionsRoute, 'widget_sessions');
  route(`${RUNTIME_PREFIX}/widgets/:token/chat`, widgetChatRoute(services), 'widget_chat');
  route(`${RUNTIME_PREFIX}/mcp/:copilotId`, mcpServeRoute, 'mcp');

  return {
    services,
    route,
    owns: (url) => url !== undefined && isUnderPrefix(url, RUNTIME_PREFIX),
    handle(req, res) {
      const url = req.url ?? '/';
      res.setHeader(REQUEST_ID_HEADER, requestIdOf(req.headers[REQUEST_ID_HEADER]));
      const found = match(url);
      if (!found) {
        sendError(req, res, 404, 'not_found', 'No such runtime API endpoint.');
        notFound.answered(404);
        return;
      }
      const { route: matched } = found;
      const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustedProxyHops);
      const span = startSpan(`data_plane ${matched.name}`, { 'copilot_headers.route': matched.name });
      const ctx = { req, res, params: found.params, rest: found.rest, clientAddress: address, services };
      const work = span ? runInSpan(span, () => matched.handler(ctx)) : matched.handler(ctx);
      work.then(
        () => answered(matched, res, span),
        (error: unknown) => {
          sendFailure(req, res, error);
          answered(matched, res, span, error);
        },
      );
    },
  };
}
