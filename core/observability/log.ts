// The product's one server log: pino JSON lines (one object per line, `msg` holds the message text),
// level from LOG_LEVEL (default info). Errors, warnings and fatal lines go to stderr, the rest to
// stdout. In development (`npm run dev`, NODE_ENV=development) lines are pretty-printed when the
// pino-pretty dev dependency is installed. Nothing here is given a request, a header or an error
// object: callers pass ids and names, and errors go through summarizeError (names and codes only).
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { env } from '@/core/env';
import { summarizeError } from '@/core/error-summary';

export type { Logger } from 'pino';

/** Fields a log line may carry: ids, names, counts, statuses — never a value, a token or a URL. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

const store = globalThis as unknown as { __copilotHeadersLog?: Logger };

function level(): string {
  try {
    return env().LOG_LEVEL;
  } catch {
    return 'info'; // a bad environment is reported by the start-up check, through this very logger
  }
}

function developmentStream(): pino.DestinationStream | null {
  if (process.env.NODE_ENV !== 'development') return null;
  try {
    return pino.transport({ target: 'pino-pretty', options: { colorize: true, destination: 1, ignore: 'pid,hostname,name' } }) as pino.DestinationStream;
  } catch {
    return null; // pino-pretty is a dev dependency: without it, JSON
  }
}

function build(): Logger {
  const options: pino.LoggerOptions = { name: 'copilot-headers', level: level(), timestamp: pino.stdTimeFunctions.isoTime };
  const pretty = developmentStream();
  if (pretty) return pino(options, pretty);
  return pino(
    options,
    pino.multistream(
      [
        { level: 'trace', stream: process.stdout },
        { level: 'error', stream: process.stderr },
      ],
      { dedupe: true },
    ),
  );
}

/** The process's logger (built on first use, after the entry has set NODE_ENV). */
export function logger(): Logger {
  return (store.__copilotHeadersLog ??= build());
}

/** A logger whose lines say which part of the product wrote them (`component`). */
export function componentLogger(component: string) {
  return {
    debug: (msg: string, fields?: LogFields) => logger().debug({ component, ...fields }, msg),
    info: (msg: string, fields?: LogFields) => logger().info({ component, ...fields }, msg),
    warn: (msg: string, fields?: LogFields) => logger().warn({ component, ...fields }, msg),
    /** `error` is summarized (names and codes along its cause chain) into the message and `err`. */
    error: (msg: string, error?: unknown, fields?: LogFields) => {
      const summary = error === undefined ? undefined : summarizeError(error);
      logger().error({ component, ...fields, ...(summary ? { err: summary } : {}) }, summary ? `${msg}: ${summary}` : msg);
    },
    isDebugEnabled: () => logger().isLevelEnabled('debug'),
  };
}

/**
 * Tests: every line logged until `restore()` is kept (as written, JSON) in `lines` instead of
 * printed, at every level.
 */
export function captureLogs(): { lines: string[]; text(): string; restore(): void } {
  const previous = store.__copilotHeadersLog;
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      lines.push(String(chunk).trimEnd());
      callback();
    },
  });
  store.__copilotHeadersLog = pino({ name: 'copilot-headers', level: 'trace' }, sink);
  return {
    lines,
    text: () => lines.join('\n'),
    restore: () => {
      store.__copilotHeadersLog = previous;
    },
  };
}
