import { Transform } from 'node:stream';
import zlib from 'node:zlib';
import type { Redactor } from './redact';

/**
 * Redacts a byte stream as it passes: each chunk goes out as soon as no later byte can turn its end
 * into a secret, so at most the longest secret variant's length minus one byte is held back.
 */
export function redactingStream(redactor: Redactor): Transform {
  let carry: Buffer | null = null;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const input = carry ? Buffer.concat([carry, chunk]) : chunk;
      const { output, consumed } = redactor.bytesPrefix(input);
      carry = consumed < input.length ? input.subarray(consumed) : null;
      callback(null, output.length > 0 ? output : undefined);
    },
    flush(callback) {
      callback(null, carry ? redactor.bytes(carry) : undefined);
    },
  });
}

/**
 * Streams that undo a Content-Encoding (outermost last), so redaction sees plain bytes; null when a
 * coding is unknown. `deflate` accepts the zlib format (RFC 9110); gzip and br as usual.
 */
export function contentDecoders(coding: string | undefined): Transform[] | null {
  const codings = (coding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  const decoders: Transform[] = [];
  for (const c of codings.reverse()) {
    if (c === 'gzip' || c === 'x-gzip' || c === 'deflate') decoders.push(zlib.createUnzip());
    else if (c === 'br') decoders.push(zlib.createBrotliDecompress());
    else return null;
  }
  return decoders;
}

/** Charsets in which ASCII text is not ASCII bytes: byte-level redaction can't see into them. */
const WIDE_CHARSET = /^(utf-?16|utf-?32|ucs-?2|ucs-?4)/;

/** The declared charset of a content-type, lower case, or null. */
export function declaredCharset(contentType: string | undefined): string | null {
  for (const param of (contentType ?? '').split(';').slice(1)) {
    const [key, value] = param.split('=');
    if (key?.trim().toLowerCase() === 'charset' && value) return value.trim().replace(/^"|"$/g, '').toLowerCase();
  }
  return null;
}

export function isWideCharset(charset: string | null): boolean {
  return charset !== null && WIDE_CHARSET.test(charset);
}

/** The same content-type with its charset parameter set to utf-8. */
export function withUtf8Charset(contentType: string): string {
  const [media, ...params] = contentType.split(';');
  const kept = params.filter((p) => p.split('=')[0]?.trim().toLowerCase() !== 'charset');
  return [media, ...kept, ' charset=utf-8'].join(';');
}

/** Re-encodes text in `charset` as UTF-8, chunk by chunk (a character split across chunks is kept whole). */
export function toUtf8Stream(charset: string): Transform {
  const decoder = new TextDecoder(charset);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
    },
    flush(callback) {
      callback(null, Buffer.from(decoder.decode(), 'utf8'));
    },
  });
}
