// One HTTP exchange on an undici dispatcher through its handler interface rather than `request()`:
// no Readable per answer unless a caller asks for a stream, which halves the client's CPU per call
// (measured with bench/runtime.bench.ts). The body is read whole, iterated, or streamed — once.
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { CallAbort } from './call-abort';

/** Queued but unread body bytes above which the socket is paused until the reader catches up. */
const HIGH_WATER_BYTES = 64 * 1024;

export type DispatchedResponse = { statusCode: number; headers: IncomingHttpHeaders; body: UpstreamBody };

export type DispatchRequest = {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Readable | null;
  abort: CallAbort;
  headersTimeout: number;
  bodyTimeout: number;
};

/** An answer's body as it arrives. */
export class UpstreamBody implements AsyncIterable<Buffer> {
  private readonly chunks: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private spent = false; // taken whole, or discarded
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private readable: Readable | null = null;
  private readonly errorListeners: ((error: Error) => void)[] = [];

  constructor(private readonly controller: Dispatcher.DispatchController) {}

  /** @internal from the handler */
  push(chunk: Buffer): void {
    if (this.readable) {
      if (!this.readable.push(chunk)) this.controller.pause();
      return;
    }
    this.chunks.push(chunk);
    this.queued += chunk.length;
    if (this.queued > HIGH_WATER_BYTES) this.controller.pause();
    this.notify();
  }

  /** @internal from the handler */
  end(error: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    if (this.readable) {
      if (error) this.readable.destroy(error);
      else this.readable.push(null);
    } else if (error) {
      for (const listener of this.errorListeners) listener(error);
    }
    this.notify();
  }

  /** Listens for a failure of the body (as a stream's 'error'). */
  on(event: 'error', listener: (error: Error) => void): this {
    if (event === 'error') this.errorListeners.push(listener);
    return this;
  }

  /** Stops reading: the exchange is aborted if it is still running. */
  destroy(): void {
    if (!this.ended) this.controller.abort(new Error('The body was not read.'));
    this.ended = true;
    this.spent = true;
    this.chunks.length = 0;
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk) {
        this.queued -= chunk.length;
        if (this.controller.paused && this.queued <= HIGH_WATER_BYTES) this.controller.resume();
        yield chunk;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** The whole body when it has all arrived and nothing has read from it yet; taking it consumes it. */
  takeIfComplete(): Buffer | null {
    if (!this.ended || this.failure || this.readable || this.spent) return null;
    this.spent = true;
    const parts = this.chunks.splice(0);
    this.queued = 0;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** The body as a Readable, with backpressure to the socket. */
  stream(): Readable {
    if (this.readable) return this.readable;
    const readable = new Readable({
      read: () => {
        if (this.controller.paused) this.controller.resume();
      },
      destroy: (error, callback) => {
        if (!this.ended) this.controller.abort(error ?? new Error('The body was not read.'));
        callback(error);
      },
    });
    this.readable = readable;
    for (const chunk of this.chunks.splice(0)) readable.push(chunk);
    this.queued = 0;
    if (this.ended) {
      if (this.failure) readable.destroy(this.failure);
      else readable.push(null);
    }
    return readable;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/** Sends the request on `dispatcher`; resolves when the answer's status and headers are in. */
export function dispatchRequest(dispatcher: Dispatcher, request: DispatchRequest): Promise<DispatchedResponse> {
  return new Promise((resolve, reject) => {
    let body: UpstreamBody | null = null;
    let controller: Dispatcher.DispatchController | null = null;
    const onAbort = (reason: Error) => controller?.abort(reason);
    let stopListening: (() => void) | null = null;
    const settle = (error: Error | null) => {
      stopListening?.();
      if (body) body.end(error);
      else if (error) reject(error);
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (request.abort.aborted) onAbort(request.abort.reason!);
      },
      onResponseStart(c, statusCode, headers) {
        if (statusCode < 200) return; // informational answers precede the real one
        body = new UpstreamBody(c);
        resolve({ statusCode, headers, body });
      },
      onResponseData(_c, chunk) {
        body?.push(chunk);
      },
      onResponseEnd() {
        settle(null);
      },
      onResponseError(_c, error) {
        settle(error);
      },
    };
    stopListening = request.abort.onAbort(onAbort);
    dispatcher.dispatch(
      {
        origin: request.url.origin,
        path: request.url.pathname + request.url.search,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body,
        headersTimeout: request.headersTimeout,
        bodyTimeout: request.bodyTimeout,
      },
      handler,
    );
  });
}
