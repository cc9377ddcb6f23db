// Turns an upstream HTTP response into what the copilot may see: codings undone (or the body refused),
// text vs binary decided, and every dashboard value redacted from the headers, the body and the URL.
import { connectionListedNames, isFieldName, isResponseHopByHop } from '@/core/http/fields';
import type { Redactor } from './redact';
import { decodeBodyCodings, decodeTextBody, discardBody, readCappedBody, ResponseTooLargeError, type DecodedBody, type ResponseBodyStream, type UndecodableBody } from './response-body';

/** An upstream answer whose body has not been read yet (undici's ResponseData fits, so does node:http's). */
export type UpstreamResponse = {
  statusCode: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: ResponseBodyStream;
};

export type ReadResponseOptions = {
  /** The redactor for the copilot's dashboard values (build it once per configuration). */
  redactor: Redactor;
  maxResponseBytes: number;
  /** The request method: a HEAD answer has no body to read. */
  method: string;
  /** The URL that answered, returned redacted. */
  url: URL;
};

export type ReadResponseResult =
  | { ok: true; status: number; headers: Record<string, string>; body: string; bodyEncoding: 'utf8' | 'base64'; finalUrl: string }
  | { ok: false; code: 'response_too_large' | 'undecodable_body'; message: string };

const MAX_CODING_NAME_LENGTH = 40;
/** Bodies up to this size are redacted in one synchronous pass (microseconds); larger ones yield between slices. */
const SYNC_REDACTION_BYTES = 16 * 1024;
const CODING_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+(, ?[!#$%&'*+\-.^_`|~0-9a-z]+)*$/;

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Flattens, strips hop-by-hop headers and cookies, and redacts every value. */
export function responseHeaders(raw: UpstreamResponse['headers'], redactor: Redactor): Record<string, string> {
  const listed = new Set<string>();
  connectionListedNames(firstValue(raw.connection), listed);
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    const lower = name.toLowerCase();
    if (value === undefined || !isFieldName(lower) || isResponseHopByHop(lower) || listed.has(lower)) continue;
    out.set(lower, redactor.text(Array.isArray(value) ? value.join(', ') : value));
  }
  return Object.fromEntries(out);
}

/**
 * The message for a body the runtime can't decode. The coding name comes from the API, so it is
 * only quoted when it looks like a coding name and contains no dashboard value.
 */
function undecodableMessage({ header, coding, corrupt }: UndecodableBody, redactor: Redactor): string {
  const safe = coding.length <= MAX_CODING_NAME_LENGTH && CODING_NAME.test(coding) && redactor.text(coding) === coding;
  const named = safe ? `${header} ${coding}` : `a ${header} value the runtime doesn't recognise`;
  return corrupt
    ? `The API answered with ${named}, but the body is not valid ${safe ? coding : 'encoded'} data, so the runtime can't check it for echoed credentials.`
    : `The API answered with ${named}, which the runtime can't decode, so it can't check the body for echoed credentials.`;
}

/**
 * Reads and redacts an upstream answer. Body-level refusals (too large, a coding that can't be undone)
 * come back as { ok: false }; transport errors while reading (timeouts, resets) are thrown. Redaction
 * of a large body lets the event loop run other requests between slices.
 */
export async function readResponse(response: UpstreamResponse, options: ReadResponseOptions): Promise<ReadResponseResult> {
  const { redactor, maxResponseBytes } = options;
  const tooLarge = { ok: false, code: 'response_too_large', message: `The API response is larger than ${maxResponseBytes} bytes.` } as const;
  const declared = Number(firstValue(response.headers['content-length']));
  if (Number.isFinite(declared) && declared > maxResponseBytes) {
    discardBody(response.body);
    return tooLarge;
  }
  let raw: Buffer;
  let decoded: DecodedBody;
  try {
    // Both steps answer without a promise in the common case (a small body that has arrived, no codings).
    const reading = options.method === 'HEAD' ? Buffer.alloc(0) : readCappedBody(response.body, maxResponseBytes);
    raw = reading instanceof Promise ? await reading : reading;
    const decoding = decodeBodyCodings(
      raw,
      { contentEncoding: firstValue(response.headers['content-encoding']), transferEncoding: firstValue(response.headers['transfer-encoding']) },
      maxResponseBytes,
    );
    decoded = decoding instanceof Promise ? await decoding : decoding;
  } catch (error) {
    if (error instanceof ResponseTooLargeError) return tooLarge;
    throw error;
  }
  if (!decoded.ok) return { ok: false, code: 'undecodable_body', message: undecodableMessage(decoded, redactor) };

  const headers = responseHeaders(response.headers, redactor);
  const text = decodeTextBody(decoded.body, firstValue(response.headers['content-type']));
  const small = decoded.body.length <= SYNC_REDACTION_BYTES;
  const body =
    text !== null
      ? small
        ? redactor.text(text)
        : await redactor.textAsync(text)
      : (small ? redactor.bytes(decoded.body) : await redactor.bytesAsync(decoded.body)).toString('base64');
  return {
    ok: true,
    status: response.statusCode,
    headers,
    body,
    bodyEncoding: text !== null ? 'utf8' : 'base64',
    finalUrl: redactor.text(options.url.href),
  };
}
