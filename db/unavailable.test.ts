import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './unavailable';

function withCode(code: string, message = 'x'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDatabaseUnavailable: a lost database is a 503 with Retry-After, not a 500', () => {
  it('recognises network errors, connection SQLSTATEs and pg’s own connection messages, also under a wrapping error', () => {
    for (const error of [
      withCode('ECONNREFUSED'),
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('08006'),
      withCode('53300'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Failed query: select 1', { cause: withCode('ECONNRESET') }),
      new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], ''),
    ]) {
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    }
  });

  it('leaves every other failure a 500: constraint violations, syntax errors, bugs, non-errors', () => {
    for (const error of [withCode('23505'), withCode('42601'), new TypeError('x is undefined'), new Error('Failed query: insert', { cause: withCode('23514') }), 'ECONNREFUSED', null]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
    }
  });
});
