// Server-action requests are checked at the front door before Next.js sees them. Next decodes an action's
// body inside its action handler and answers any body it can't decode — wrong content type, broken
// multipart, text that isn't JSON, more than its body-size limit — with a 500. Here such a body is
// refused with a 4xx and a one-line reason, and Next (so the action) is never called. A body that
// passes is handed on unchanged. What is checked is the envelope React's client sends (a JSON text
// whose root is the argument list, or multipart form data whose field "0" is that JSON); the
// references inside it are left to React's decoder (see docs/security.md, [malformed-actions-refused]).
import { IncomingMessage, type ServerResponse } from 'node:http';

/** Next's default `serverActions.bodySizeLimit` (next.config.mjs leaves it unset); Next enforces it again behind us. */
export const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
export type ActionBodyVerdict = { ok: true } | { ok: false; status: 400 | 413 | 415; reason: string };

/** A fetch action (Next-Action header) or a multipart POST to a page, which Next tries to decode as a form action. */
function isActionRequest(req: IncomingMessage): { fetch: boolean } | null {
  if (req.method !== 'POST') return null;
  if (typeof req.headers['next-action'] === 'string') return { fetch: true };
  const multipart = mediaType(req.headers['content-type']) === 'multipart/form-data';
  return multipart && !(req.url ?? '').startsWith('/api/') ? { fetch: false } : null;
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function isArgumentList(json: string): boolean {
  try {
    return Array.isArray(JSON.parse(json));
  } catch {
    return false;
  }
}

/** Checks a whole (size-checked) action body against the envelope Next and React expect. */
export async function checkActionBody(contentType: string | undefined, body: Buffer, { fetch }: { fetch: boolean }): Promise<ActionBodyVerdict> {
  const type = mediaType(contentType);
  if (type === 'multipart/form-data') {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType! } }).formData();
    } catch {
      return { ok: false, status: 400, reason: 'The server action body is not valid multipart form data.' };
    }
    const root = form.get('0');
    if (fetch && (typeof root !== 'string' || !isArgumentList(root))) return { ok: false, status: 400, reason: 'The server action body has no argument list in field "0".' };
    return { ok: true };
  }
  if (!fetch) return { ok: true };
  if (type !== 'text/plain') return { ok: false, status: 415, reason: 'A server action body is text/plain or multipart/form-data.' };
  if (!isArgumentList(body.toString('utf8'))) return { ok: false, status: 400, reason: 'The server action body is not a JSON argument list.' };
  return { ok: true };
}

/** The body, or null once it has passed `limit` bytes (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData).pause();
      resolve(null);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** A fresh request on the same socket carrying the body already read, for Next to read again. */
function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  Object.assign(copy, {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    complete: true,
  });
  copy.push(body);
  copy.push(null);
  return copy;
}

function refuse(res: ServerResponse, status: number, reason: string, close: boolean): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...(close ? { connection: 'close' } : {}) });
  res.end(`${reason}\n`);
}

/** Wraps Next's request handler: malformed server-action bodies get a 4xx and never reach it. */
export function refuseMalformedActions(handler: Handler, { limit = ACTION_BODY_LIMIT_BYTES }: { limit?: number } = {}): Handler {
  return async (req, res) => {
    const action = isActionRequest(req);
    if (!action) return handler(req, res);
    const body = await readBody(req, limit);
    if (!body) return refuse(res, 413, `A server action body may be at most ${limit} bytes.`, true);
    const verdict = await checkActionBody(req.headers['content-type'], body, action);
    if (!verdict.ok) return refuse(res, verdict.status, verdict.reason, false);
    return handler(replay(req, body), res);
  };
}
