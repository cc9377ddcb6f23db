// One widget: its options, its transcript (memory only) and the running turn. Both entries use it:
// initOpenScript() attaches it to an element it appends to <body>, <Widget/> to the element React renders.
import { streamTurn } from './chat';
import { authRefused, buildRequestBody, chatUrl, ERRORS, type ApprovalAnswer, type ChatEvent, type WidgetError } from './protocol';
import { messagesFor, newTurn, type Turn } from './transcript';
import type { WidgetHandle, WidgetHeaders, WidgetHeadersOption, WidgetOptions } from './types';
import { createView, type View } from './view';

export type WidgetController = WidgetHandle & {
  /** Renders into `host` (its shadow root). Returns the function that takes the UI out again. */
  attach(host: HTMLElement, mode?: { inline?: boolean; ownsHost?: boolean }): () => void;
  /** Replaces every option (React passes its latest `options` prop). */
  setOptions(options: WidgetOptions): void;
};

const AUTH_RETRY = 'auth-retry';

export function assertOptions(options: WidgetOptions | undefined): asserts options is WidgetOptions {
  if (!options || typeof options.token !== 'string' || !options.token.trim()) {
    throw new TypeError("Copilot widget: options.token is required (the copilot's widget token, from its General tab).");
  }
}

async function resolveHeaders(headers: WidgetHeadersOption | undefined): Promise<WidgetHeaders | undefined> {
  const value = typeof headers === 'function' ? await headers() : headers;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') throw new TypeError('headers must be an object');
  return { ...value };
}

/** A session or identity token the page gave (or its function returned) and whether it came from a function (refreshable). */
type Held = { value: string; refreshable: boolean } | null;

async function resolveHeld(option: WidgetOptions['session'] | WidgetOptions['identityToken'], held: Held, name: string): Promise<Held> {
  if (option === undefined || option === null) return null;
  if (typeof option === 'string') return { value: option, refreshable: false };
  if (held?.refreshable) return held;
  const value = await option();
  if (typeof value !== 'string' || !value) throw new TypeError(`${name} must return a string`);
  return { value, refreshable: true };
}

const SESSION_ENDED = new Set(['session_expired', 'session_revoked']);

export function createController(initial: WidgetOptions, defaultApiUrl: () => string): WidgetController {
  assertOptions(initial);
  // Set to null by destroy(): from then on nothing here refers to the headers or the transcript.
  let options: WidgetOptions | null = { ...initial };
  let turns: Turn[] = [];
  let isOpen = Boolean(initial.open);
  let running: { turn: Turn; abort: AbortController } | null = null;
  let view: View | null = null;
  let ownsHost = false;
  // The last session (identity token) a function returned: reused until the server says it ended (expired).
  let session: Held = null;
  let identity: Held = null;

  const render = (turn: Turn) => view?.renderTurn(turn, turn === turns[turns.length - 1]);
  const setBusy = (busy: boolean) => view?.setBusy(busy);

  function setOpen(open: boolean, focus: boolean) {
    if (!options) return;
    isOpen = open;
    view?.setOpen(open, { focus });
  }

  function finish(run: NonNullable<typeof running>, error: WidgetError | null) {
    if (running !== run) return;
    running = null;
    run.turn.state = error ? 'failed' : 'done';
    run.turn.error = error;
    setBusy(false);
    render(run.turn);
  }

  async function runTurn(turn: Turn, authRetried: boolean, answer?: ApprovalAnswer): Promise<void> {
    if (!options) return;
    const run = { turn, abort: new AbortController() };
    running = run;
    // An answered approval continues the turn: what it showed so far stays.
    Object.assign(turn, answer ? { state: 'waiting', error: null } : { answer: '', tools: [], droppedHeaders: undefined, state: 'waiting', error: null, approval: null });
    setBusy(true);
    render(turn);
    const current = options;
    let authStatus: number | null = null;
    let authHeaders: string[] | undefined;
    const onEvent = (event: ChatEvent) => {
      if (event.type === 'diagnostics') turn.droppedHeaders = event.droppedHeaders;
      else if (event.type === 'text') turn.answer += event.delta;
      else if (event.type === 'tool_call') turn.tools.push({ id: event.id, method: event.method, path: event.path });
      else if (event.type === 'approval_required') turn.approval = event.approval;
      else if (event.type === 'tool_result') {
        const chip = turn.tools.find((t) => t.id === event.id);
        if (chip) Object.assign(chip, { status: event.status, error: event.error, durationMs: event.durationMs });
      } else if (event.type === 'auth_error') {
        if (authStatus === null) [authStatus, authHeaders] = [event.status, event.perUserHeaders];
        // The answer built on refused credentials is not worth finishing when a retry is coming.
        if (!authRetried && options?.onAuthError) run.abort.abort(AUTH_RETRY);
        return;
      }
      if (turn.state === 'waiting') turn.state = 'streaming';
      render(turn);
    };

    let body: string;
    try {
      session = await resolveHeld(current.session, session, 'session');
      identity = await resolveHeld(current.identityToken, identity, 'identityToken');
      body = buildRequestBody(messagesFor(turns, turn), await resolveHeaders(current.headers), current.user, { session: session?.value, identityToken: identity?.value, approval: answer });
    } catch {
      return finish(run, ERRORS.headers);
    }
    if (running !== run) return;
    let error: WidgetError | null;
    try {
      error = await streamTurn({ url: chatUrl(current.apiUrl || defaultApiUrl(), current.token), body, signal: run.abort.signal, onEvent });
    } catch {
      if (run.abort.signal.reason === AUTH_RETRY && running === run) await refreshAndRetry(run, authStatus ?? 401);
      return;
    }
    const sessionEnded = error !== null && SESSION_ENDED.has(error.code) && session?.refreshable;
    const identityExpired = error?.code === 'identity_expired' && identity?.refreshable;
    if ((sessionEnded || identityExpired) && !authRetried && running === run) {
      // Ask the page for a new session (identity token) once, then send the turn again.
      if (sessionEnded) session = null;
      if (identityExpired) identity = null;
      running = null;
      return runTurn(turn, true);
    }
    finish(run, error ?? (authStatus === null ? null : authRefused(authStatus, authHeaders)));
  }

  /** Lets the page refresh the user's credentials, then runs the turn once more. */
  async function refreshAndRetry(run: NonNullable<typeof running>, status: number) {
    Object.assign(run.turn, { answer: '', tools: [], state: 'waiting' });
    render(run.turn);
    try {
      const fresh = await options?.onAuthError?.({ status });
      if (running !== run || !options) return;
      if (fresh && typeof fresh === 'object') options = { ...options, headers: fresh };
    } catch {
      return finish(run, authRefused(status));
    }
    await runTurn(run.turn, true);
  }

  /** Approve or Deny on the last turn's card: sent once, with the same messages as the turn that asked. */
  function decide(turn: Turn, decision: 'approve' | 'deny') {
    const pending = turn.approval;
    if (!options || running || !pending || pending.decision || turn !== turns[turns.length - 1]) return;
    pending.decision = decision;
    void runTurn(turn, false, { id: pending.id, decision, operation: pending.operation, parameters: pending.parameters });
  }

  function stop() {
    if (!running) return;
    const { turn, abort } = running;
    running = null;
    abort.abort();
    turn.state = 'stopped';
    setBusy(false);
    render(turn);
  }

  function reset() {
    if (running) {
      running.abort.abort();
      running = null;
    }
    turns = [];
    session = null;
    identity = null;
    view?.clear();
    setBusy(false);
  }

  function send(text: string) {
    if (!options || running) return;
    const turn = newTurn(text);
    const previous = turns[turns.length - 1];
    turns.push(turn);
    void runTurn(turn, false);
    if (previous) render(previous); // its "Try again" goes away
  }

  function apply(next: WidgetOptions, openChanged: boolean) {
    if (next.session !== options?.session) session = null;
    if (next.identityToken !== options?.identityToken) identity = null;
    options = next;
    view?.apply(next);
    if (openChanged && next.open !== undefined) setOpen(next.open, false);
  }

  return {
    attach(host, mode = {}) {
      if (!options) throw new Error('Copilot widget: this widget was destroyed.');
      view?.destroy(ownsHost);
      ownsHost = Boolean(mode.ownsHost);
      const attached = createView(host, Boolean(mode.inline), {
        send,
        stop,
        restart: reset,
        decide,
        retry: (turn) => {
          if (!running && turn === turns[turns.length - 1]) void runTurn(turn, false);
        },
        toggle: (open) => setOpen(open, true),
      });
      view = attached;
      attached.apply(options);
      attached.setBusy(Boolean(running));
      turns.forEach(render);
      attached.setOpen(isOpen, { focus: false });
      return () => {
        if (view !== attached) return;
        attached.destroy(ownsHost);
        view = null;
      };
    },
    setOptions(next) {
      if (!options) return;
      assertOptions(next);
      apply({ ...next }, next.open !== options.open);
    },
    update(partial) {
      if (!options) return;
      apply({ ...options, ...partial }, 'open' in partial);
    },
    setHeaders(headers) {
      if (options) options = { ...options, headers };
    },
    open: () => setOpen(true, true),
    close: () => setOpen(false, false),
    reset,
    destroy() {
      reset();
      view?.destroy(ownsHost);
      view = null;
      options = null;
      session = null;
      identity = null;
    },
  };
}
