// Header maps as the data plane's JSON bodies carry them (the relay's request and widget headers, the
// chat endpoint's widget headers). Messages and paths never echo a header value, and echo a header name
// only once it is a valid token (an invalid one is named by its position).
import { z } from 'zod';
import { isFieldName, isFieldValue, MAX_HEADER_VALUE_LENGTH } from './fields';

const MAX_HEADERS_PER_MAP = 64;

/** Header names → values, checked per entry; messages name an entry by position or valid name, never by value. */
export function headerMap(label: string) {
  return z.record(z.string(), z.unknown(), { error: `${label} must be an object of header names to string values` }).transform((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_HEADERS_PER_MAP) ctx.addIssue({ code: 'custom', message: `At most ${MAX_HEADERS_PER_MAP} ${label}` });
    const out: Record<string, string> = {};
    names.forEach((name, index) => {
      const value = headers[name];
      if (!isFieldName(name)) {
        ctx.addIssue({ code: 'custom', message: `${label}: entry #${index + 1} does not have a valid header name (an RFC 9110 token)` });
      } else if (typeof value !== 'string') {
        ctx.addIssue({ code: 'custom', path: [name], message: 'The value must be a string' });
      } else if (!isFieldValue(value)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `The value contains CR, LF, NUL or another control character, or is longer than ${MAX_HEADER_VALUE_LENGTH} characters`,
        });
      } else {
        out[name] = value;
      }
    });
    return out;
  });
}
