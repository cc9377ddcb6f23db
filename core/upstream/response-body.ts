import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

export class ResponseTooLargeError extends Error {
  constructor() {
    super('The upstream response is too large.');
    this.name = 'ResponseTooLargeError';
  }
}

export type ResponseBodyStream = AsyncIterable<Buffer | Uint8Array> & {
  destroy(error?: Error): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** The whole body when all of it has already arrived (taking it consumes it), else null. */
  takeIfComplete?(): Buffer | null;
};

/** Drops a body that won't be read; the listener keeps the resulting abort from surfacing as unhandled. */
export function discardBody(body: ResponseBodyStream): void {
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * Reads the whole body, aborting the stream as soon as it passes `maxBytes`. Small answers usually
 * arrive with their headers: then the body is returned at once, without a promise.
 */
export function readCappedBody(body: ResponseBodyStream, maxBytes: number): Buffer | Promise<Buffer> {
  const whole = body.takeIfComplete?.() ?? null;
  if (!whole) return readChunks(body, maxBytes);
  if (whole.length > maxBytes) throw new ResponseTooLargeError();
  return whole;
}

async function readChunks(body: ResponseBodyStream, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      discardBody(body);
      throw new ResponseTooLargeError();
    }
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return Buffer.concat(chunks, total);
}

export type DecodedBody = { ok: true; body: Buffer } | ({ ok: false } & UndecodableBody);

/** Why a body can't be checked: the header and the coding (as the API sent it) the runtime can't undo. */
export type UndecodableBody = { header: 'Content-Encoding' | 'Transfer-Encoding'; coding: string; corrupt: boolean };

type Decompress = (input: Buffer, options: zlib.ZlibOptions | zlib.BrotliOptions) => Promise<Buffer>;

/** A Map, not an object: a coding named 'constructor' or '__proto__' must find nothing. */
const CONTENT_CODINGS: ReadonlyMap<string, Decompress> = new Map<string, Decompress>([
  ['gzip', gunzip],
  ['x-gzip', gunzip],
  ['br', brotli],
  // 'deflate' is zlib-wrapped by the RFC, raw DEFLATE in practice from some servers.
  ['deflate', (input, options) => inflate(input, options).catch(() => inflateRaw(input, options))],
]);

function codingList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
}

/**
 * Undoes the codings of a response body so that redaction sees plain bytes (the runtime asks for
 * identity, but servers may ignore that). Transfer codings other than the final 'chunked' (which the
 * HTTP client undoes) are never undone here: the runtime didn't offer them (no TE header), so such an
 * answer is refused. Content codings gzip, x-gzip, deflate and br are undone in reverse order; any
 * other, or a corrupt stream, makes the body undecodable. The output is capped at `maxBytes`. A body
 * with nothing to undo (most answers) comes back as is, without a promise.
 */
export function decodeBodyCodings(
  body: Buffer,
  headers: { contentEncoding: string | undefined; transferEncoding: string | undefined },
  maxBytes: number,
): DecodedBody | Promise<DecodedBody> {
  const transfer = codingList(headers.transferEncoding);
  if (transfer.at(-1) === 'chunked') transfer.pop();
  if (transfer.length > 0) return { ok: false, header: 'Transfer-Encoding', coding: transfer.join(', '), corrupt: false };
  const content = codingList(headers.contentEncoding);
  if (body.length === 0 || content.length === 0) return { ok: true, body };
  return decompressAll(body, content, maxBytes);
}

async function decompressAll(body: Buffer, content: string[], maxBytes: number): Promise<DecodedBody> {
  let current = body;
  for (const coding of content.reverse()) {
    const decompress = CONTENT_CODINGS.get(coding);
    if (!decompress) return { ok: false, header: 'Content-Encoding', coding, corrupt: false };
    try {
      current = await decompress(current, { maxOutputLength: maxBytes });
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new ResponseTooLargeError();
      return { ok: false, header: 'Content-Encoding', coding, corrupt: true };
    }
  }
  return { ok: true, body: current };
}

const TEXT_TYPES = /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript|ecmascript|x-www-form-urlencoded|graphql|yaml|x-yaml|x-ndjson|ndjson|problem\+json|csv|sql)$)/;
const TEXTY_SUFFIX = /\+(json|xml|yaml)$/;

/**
 * Decodes the body as text when the content-type says text (or there is none) and it decodes cleanly
 * in its declared charset; otherwise returns null and the caller sends it as base64.
 */
export function decodeTextBody(body: Buffer, contentType: string | undefined): string | null {
  const [mediaRaw, ...params] = (contentType ?? '').split(';');
  const media = (mediaRaw ?? '').trim().toLowerCase();
  const declared = media !== '';
  if (declared && !TEXT_TYPES.test(media) && !TEXTY_SUFFIX.test(media)) return null;
  let charset = 'utf-8';
  for (const p of params) {
    const [k, v] = p.split('=');
    if (k?.trim().toLowerCase() === 'charset' && v) charset = v.trim().replace(/^"|"$/g, '').toLowerCase();
  }
  if (!declared && body.includes(0)) return null;
  try {
    return new TextDecoder(charset, { fatal: true }).decode(body);
  } catch {
    return null;
  }
}

/** Cuts a UTF-8 string to at most `maxBytes` bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; bytes: number; truncated: boolean } {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= maxBytes) return { text, bytes: buffer.length, truncated: false };
  let end = maxBytes;
  while (end > 0 && ((buffer[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: buffer.subarray(0, end).toString('utf8'), bytes: buffer.length, truncated: true };
}
