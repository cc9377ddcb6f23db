import type { IncomingMessage } from 'node:http';
import { pipeline, Transform, type Readable } from 'node:stream';
import { HTTP_METHODS, isHttpMethod } from '@/core/http/fields';
import { routeMetrics } from '@/core/observability/metrics';
import { CallAbort } from '@/core/upstream/call-abort';
import { proxyUpstream } from '@/core/upstream/proxy-upstream';
import { logRequestFailure, sendError, sendFailure } from '../http';
import { admitServerKeyCall } from './server-key-door';
import type { RuntimeContext } from '../services';

/** Request bodies the proxy passes on (streamed, never buffered) are at most this large. */
export const MAX_PROXY_REQUEST_BYTES = 10 * 1024 * 1024;
/** Request headers in this namespace are addressed to the runtime (the server key, the front door's own) and never forwarded. */
const RUNTIME_HEADER_PREFIX = 'x-copilot-';
/** Set on an answer whose redirect the runtime did not follow (another origin, or a streamed body to resend). */
const REDIRECT_NOT_FOLLOWED_HEADER = 'x-copilot-redirect-not-followed';

const metrics = routeMetrics('proxy');

/** The request's own headers, which are the widget (per-user) headers of the call. */
function widgetHeadersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(RUNTIME_HEADER_PREFIX)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Passes a body of unknown length on, failing once it exceeds `maxBytes`. */
function capped(source: Readable, maxBytes: number, onOverflow: () => void): Readable {
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > maxBytes) {
        onOverflow();
        callback(new Error('The request body is too large.'));
      } else {
        callback(null, chunk);
      }
    },
  });
  return pipeline(source, counter, () => undefined);
}

/**
 * `<runtime>/api/v1/proxy/<path on the API>`: the transparent proxy. The engine sends its request
 * as it would to the API, with its server key in X-Copilot-Server-Key; its own headers are the widget
 * headers; the answer is the API's status, headers and body (proxy-upstream.ts).
 */
export async function proxyRoute(ctx: RuntimeContext): Promise<void> {
  const { req, res, services } = ctx;
  try {
    const admitted = admitServerKeyCall(ctx, { acceptAuthorization: false });
    const call = admitted instanceof Promise ? await admitted : admitted;
    if (!call) return;
    const method = req.method ?? '';
    if (!isHttpMethod(method)) {
      return sendError(req, res, 405, 'method_not_allowed', `Use one of ${HTTP_METHODS.join(', ')}.`, { headers: { allow: HTTP_METHODS.join(', ') } });
    }
    const lengthHeader = req.headers['content-length'];
    const declared = lengthHeader === undefined ? undefined : Number(lengthHeader);
    if (declared !== undefined && declared > MAX_PROXY_REQUEST_BYTES) {
      return sendError(req, res, 413, 'payload_too_large', `The request body is larger than ${MAX_PROXY_REQUEST_BYTES} bytes.`);
    }
    let overflow = false;
    let body: Readable | null = null;
    if (declared !== undefined && declared > 0) body = req;
    else if (declared === undefined && req.headers['transfer-encoding'] !== undefined) body = capped(req, MAX_PROXY_REQUEST_BYTES, () => (overflow = true));

    const gone = new CallAbort();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort(new Error('The client went away.'));
    });
    const startedAt = performance.now();
    const answer = await proxyUpstream({
      prepared: call.prepared,
      method,
      target: ctx.rest.startsWith('/') ? ctx.rest : `/${ctx.rest}`,
      headers: widgetHeadersOf(req),
      body,
      contentLength: body === req ? declared : undefined,
      network: services.network,
      abort: gone,
    });
    metrics.upstream(startedAt, answer);
    services.usage.recordHeaderUse(call.config.headers, answer.usedHeaderIds, answer.ok ? answer.status : null);
    if (!answer.ok) {
      if (overflow) return sendError(req, res, 413, 'payload_too_large', `The request body is larger than ${MAX_PROXY_REQUEST_BYTES} bytes.`);
      return sendError(req, res, answer.status, answer.code, answer.message);
    }
    const headers = answer.redirectNotFollowed ? { ...answer.headers, [REDIRECT_NOT_FOLLOWED_HEADER]: 'true' } : answer.headers;
    res.writeHead(answer.status, headers);
    if (Buffer.isBuffer(answer.body)) {
      res.end(answer.body);
    } else {
      pipeline(answer.body, res, (error) => {
        if (error) logRequestFailure(error, res);
      });
    }
  } catch (error) {
    sendFailure(req, res, error);
  }
}
