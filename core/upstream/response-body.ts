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

type Body = AsyncIterable<Buffer | Uint8Array> & {
  destroy(error?: Error): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
};

/** Reads the whole body, aborting the stream as soon as it passes `maxBytes`. */
export async function readCappedBody(body: Body, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      body.on('error', () => undefined);
      body.destroy();
      throw new ResponseTooLargeError();
    }
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return Buffer.concat(chunks, total);
}

/**
 * Undoes a content-coding so redaction sees plain bytes (the runtime asks for identity, but servers
 * may ignore that). Returns null for codings it cannot undo; the output is capped at `maxBytes`.
 */
export async function decodeContentCoding(body: Buffer, coding: string | undefined, maxBytes: number): Promise<Buffer | null> {
  const codings = (coding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  let current = body;
  const options = { maxOutputLength: maxBytes };
  try {
    for (const c of codings.reverse()) {
      if (c === 'gzip' || c === 'x-gzip') current = await gunzip(current, options);
      else if (c === 'br') current = await brotli(current, options);
      else if (c === 'deflate') current = await inflate(current, options).catch(() => inflateRaw(current, options));
      else return null;
    }
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ResponseTooLargeError();
    }
    return null;
  }
  return current;
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
