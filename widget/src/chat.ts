// One turn over the wire: POST the transcript, read the server-sent events as they arrive.
import { createParser } from 'eventsource-parser';
import { decodeEvent, ERRORS, errorFromResponse, turnFailed, type ChatEvent, type WidgetError } from './protocol';

export type TurnRequest = { url: string; body: string; signal: AbortSignal; onEvent: (event: ChatEvent) => void };

const MAX_EVENT_CHARS = 1 << 20;

/**
 * Sends one turn and feeds its events to `onEvent` until `done`. Resolves to null on success or to
 * the error to show; rejects only when `signal` aborted it (the caller stopped the turn).
 */
export async function streamTurn({ url, body, signal, onEvent }: TurnRequest): Promise<WidgetError | null> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      mode: 'cors',
      // The endpoint is public and cookie-free; the page's address beyond its origin is none of its business.
      credentials: 'omit',
      referrerPolicy: 'strict-origin',
      cache: 'no-store',
      headers: { 'content-type': 'application/json' },
      body,
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    return (await isReachable(url, signal)) ? ERRORS.originNotAllowed : ERRORS.network;
  }
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok || !type.startsWith('text/event-stream') || !response.body) {
    const json: unknown = await response.json().catch(() => null);
    return errorFromResponse(response.status, json, response.headers.get('retry-after'));
  }

  let finished = false;
  let failure: WidgetError | null = null;
  const parser = createParser({
    maxBufferSize: MAX_EVENT_CHARS,
    onEvent(message) {
      if (finished || signal.aborted) return;
      const event = decodeEvent(message.event, message.data);
      if (!event) return;
      if (event.type === 'done') finished = true;
      if (event.type === 'error') {
        failure = turnFailed(event.message);
        finished = true;
      }
      onEvent(event);
    },
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  try {
    while (!finished) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } catch (error) {
    if (signal.aborted) throw error;
    return ERRORS.interrupted;
  } finally {
    reader.cancel().catch(() => undefined);
  }
  signal.throwIfAborted();
  return failure ?? (finished ? null : ERRORS.interrupted);
}

/**
 * A failed CORS request and a dead network look the same to a page. A no-cors GET (no body, no
 * headers) tells them apart: it reaches a server that refused this origin, but not a server that is down.
 */
async function isReachable(url: string, signal: AbortSignal): Promise<boolean> {
  try {
    await fetch(url, { mode: 'no-cors', credentials: 'omit', cache: 'no-store', referrerPolicy: 'strict-origin', signal });
    return true;
  } catch {
    return false;
  }
}
