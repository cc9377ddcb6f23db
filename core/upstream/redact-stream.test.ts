import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact';
import { contentDecoders, redactingStream, toUtf8Stream, withUtf8Charset } from './redact-stream';

const SECRET = 'sk_live_stream_secret_9f8e7d';
const redactor = createRedactor([SECRET, 'Basic YWxpY2U6aHVudGVyMi1wYXNzd29yZA==']);

/** Pseudo-random but repeatable chunk sizes. */
function chunked(data: Buffer, seed: number): Buffer[] {
  const chunks: Buffer[] = [];
  let state = seed;
  for (let at = 0; at < data.length; ) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (state % 23);
    chunks.push(data.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe('redacting a byte stream', () => {
  it('invariant 12: whatever the chunking, the output equals redacting the whole body at once — secrets split across chunks included', async () => {
    const body = Buffer.from(
      [
        `{"echo":"${SECRET}",`,
        `"b64":"${Buffer.from(SECRET).toString('base64')}",`,
        `"url":"${encodeURIComponent(SECRET)}","pw":"hunter2-password",`,
        `"near":"${SECRET.slice(0, -1)}","end":"${SECRET}`,
      ].join('') + `"}`,
    );
    const whole = redactor.bytes(body).toString('utf8');
    expect(whole).not.toContain(SECRET);
    for (let seed = 1; seed <= 40; seed++) {
      const out = await text(Readable.from(chunked(body, seed)).pipe(redactingStream(redactor)));
      expect(out, `seed ${seed}`).toBe(whole);
    }
  });

  it('holds back no more than the longest secret form needs, and passes text without secrets unchanged', async () => {
    const plain = Buffer.from('x'.repeat(10_000));
    const stream = redactingStream(redactor);
    const out: Buffer[] = [];
    stream.on('data', (c: Buffer) => out.push(c));
    stream.write(plain);
    await new Promise((r) => setImmediate(r));
    const released = Buffer.concat(out).length;
    expect(released).toBeGreaterThan(10_000 - 200);
    expect(released).toBeLessThan(10_000);
    stream.end();
    await new Promise((r) => stream.on('end', r));
    expect(Buffer.concat(out).equals(plain)).toBe(true);
  });

  it('undoes gzip before redacting, re-encodes UTF-16 text as UTF-8, and rewrites the charset', async () => {
    const decoders = contentDecoders('gzip')!;
    expect(decoders).toHaveLength(1);
    expect(contentDecoders('compress')).toBeNull();
    const out = await text(Readable.from([gzipSync(`token=${SECRET}`)]).pipe(decoders[0]!).pipe(redactingStream(redactor)));
    expect(out).toBe('token=[REDACTED]');
    const utf16 = Buffer.from(`\ufeffkey ${SECRET}`, 'utf16le');
    const converted = await text(Readable.from(chunked(utf16, 7)).pipe(toUtf8Stream('utf-16le')).pipe(redactingStream(redactor)));
    expect(converted).toBe('key [REDACTED]');
    expect(withUtf8Charset('text/plain; charset=UTF-16LE; format=flowed')).toBe('text/plain; format=flowed; charset=utf-8');
  });
});
