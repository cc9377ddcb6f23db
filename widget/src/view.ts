// The widget's DOM, inside a shadow root on the host element: a launcher button and a chat panel
// (a non-modal dialog), or the panel alone when inline. It renders what the controller tells it and
// reports what the user does; it holds no conversation state and never sees headers.
import { h, icons } from './dom';
import { STYLES } from './styles';
import { chipLabel, chipState, parameterRows, type Turn } from './transcript';
import type { WidgetOptions } from './types';

export type ViewHandlers = {
  send(text: string): void;
  stop(): void;
  retry(turn: Turn): void;
  restart(): void;
  /** The user answered the card of a call that asks first. */
  decide(turn: Turn, decision: 'approve' | 'deny'): void;
  /** The user opened or closed the panel (launcher, close button, Escape). */
  toggle(open: boolean): void;
};

export type View = ReturnType<typeof createView>;

type TurnElements = {
  root: HTMLElement;
  answer: Text;
  bubble: HTMLElement;
  chips: HTMLUListElement;
  chipsKey: string;
  typing: HTMLElement;
  note: HTMLElement;
  dropped: HTMLElement;
  error: HTMLElement | null;
  card: HTMLElement | null;
  cardKey: string;
};

const DECIDED = { approve: 'Approved.', deny: 'Declined: nothing was sent.' } as const;

export const DEFAULTS = { title: 'Assistant', greeting: 'Hi! How can I help you today?', placeholder: 'Ask a question…' } as const;

export function createView(host: HTMLElement, inline: boolean, handlers: ViewHandlers) {
  const shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  host.toggleAttribute('data-inline', inline);

  const launcher = h('button', { type: 'button', class: 'launcher', 'aria-controls': 'panel', 'aria-expanded': 'false' });
  const title = h('h2', { class: 'title', id: 'title' });
  const greeting = h('div', { class: 'msg assistant' });
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' }, greeting);
  const input = h('textarea', { id: 'input', name: 'message', rows: '1', maxlength: '8000', autocomplete: 'off' });
  const send = h('button', { type: 'button', class: 'send' });
  const restart = h('button', { type: 'button', class: 'icon', 'aria-label': 'New conversation', title: 'New conversation' }, icons.restart());
  const closeButton = inline ? null : h('button', { type: 'button', class: 'icon', 'aria-label': 'Close chat', title: 'Close' }, icons.close());
  // method="post": even a submit the script doesn't catch never puts the message in a URL.
  const form = h('form', { class: 'composer', method: 'post', novalidate: true }, h('label', { for: 'input', class: 'sr-only' }, 'Message'), input, send);
  const panel = h(
    'section',
    { class: 'panel', id: 'panel', role: inline ? 'region' : 'dialog', 'aria-modal': inline ? undefined : 'false', 'aria-labelledby': 'title', hidden: !inline },
    h('header', { class: 'header' }, h('div', { class: 'avatar' }, icons.spark()), h('div', { class: 'titles' }, title, h('p', { class: 'subtitle' }, 'AI assistant')), restart, closeButton),
    log,
    form,
  );
  const root = h('div', { class: 'root', 'data-inline': inline }, inline ? null : launcher, panel);
  shadow.replaceChildren(h('style', {}, STYLES), root);

  let open = inline;
  let busy = false;
  let lastTurn: Turn | null = null;
  const turns = new Map<Turn, TurnElements>();

  const submit = () => {
    const text = input.value.trim();
    if (busy || !text) return;
    input.value = '';
    fitInput();
    handlers.send(text);
  };
  const fitInput = () => {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 132)}px`;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener('input', fitInput);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  send.addEventListener('click', () => (busy ? handlers.stop() : submit()));
  restart.addEventListener('click', () => (turns.size ? confirmRestart() : input.focus()));
  closeButton?.addEventListener('click', () => handlers.toggle(false));
  launcher.addEventListener('click', () => handlers.toggle(!open));
  // On the root, so Escape also closes while focus is on the launcher.
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && open && !inline && !event.isComposing) {
      event.stopPropagation();
      handlers.toggle(false);
    }
  });

  /** Clearing loses the conversation: ask first, in place (Escape or Cancel keeps it). */
  function confirmRestart() {
    if (shadow.querySelector('.confirm')) return;
    const clear = h('button', { type: 'button', class: 'confirm-yes' }, 'Clear');
    const cancel = h('button', { type: 'button', class: 'confirm-no' }, 'Cancel');
    const bar = h('div', { class: 'confirm', role: 'group', 'aria-labelledby': 'confirm-text' }, h('p', { id: 'confirm-text' }, 'Start a new conversation? The messages above will be cleared.'), clear, cancel);
    const done = (confirmed: boolean) => {
      bar.remove();
      if (confirmed) handlers.restart();
      input.focus();
    };
    clear.addEventListener('click', () => done(true));
    cancel.addEventListener('click', () => done(false));
    bar.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      done(false);
    });
    form.before(bar);
    clear.focus();
  }

  function setSendButton() {
    send.replaceChildren(busy ? icons.stop() : icons.send());
    send.setAttribute('aria-label', busy ? 'Stop answering' : 'Send message');
    send.title = busy ? 'Stop' : 'Send';
  }

  function focusIsInside(el: HTMLElement): boolean {
    const active = shadow.activeElement;
    return !!active && el.contains(active);
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function turnElements(turn: Turn): TurnElements {
    const existing = turns.get(turn);
    if (existing) return existing;
    const answer = document.createTextNode('');
    const chips = h('ul', { class: 'chips', 'aria-label': 'API calls', hidden: true });
    const typing = h('div', { class: 'typing', role: 'status' }, h('span', { class: 'sr-only' }, 'The assistant is typing'), h('i'), h('i'), h('i'));
    const note = h('div', { class: 'note', hidden: true }, 'Stopped.');
    const dropped = h('div', { class: 'note', hidden: true });
    const bubble = h('div', { class: 'msg assistant' }, h('span', { class: 'sr-only' }, 'Assistant: '), answer);
    const root = h('div', { class: 'turn' }, h('div', { class: 'msg user' }, h('span', { class: 'sr-only' }, 'You: '), turn.question), dropped, chips, bubble, typing, note);
    log.append(root);
    const elements: TurnElements = { root, answer, bubble, chips, chipsKey: '', typing, note, dropped, error: null, card: null, cardKey: '' };
    turns.set(turn, elements);
    return elements;
  }

  let cards = 0;

  /**
   * The request a call to an "ask first" operation will send, as text (never HTML), with Approve / Deny
   * while it can still be answered: on the last turn, not yet answered, nothing running.
   */
  function renderCard(turn: Turn, el: TurnElements) {
    const approval = turn.approval;
    const answerable = !!approval && !approval.decision && turn === lastTurn && !busy;
    const key = approval ? `${approval.id} ${approval.decision ?? ''} ${answerable}` : '';
    if (key === el.cardKey) return;
    el.cardKey = key;
    const hadFocus = !!el.card && focusIsInside(el.card);
    el.card?.remove();
    el.card = null;
    if (!approval) return;
    const id = `approval-${++cards}`;
    const rows = parameterRows(approval.parameters).flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]);
    const status = approval.decision ? DECIDED[approval.decision] : answerable ? null : 'Not answered: nothing was sent.';
    const actions = answerable
      ? h('div', { class: 'approval-actions' }, h('button', { type: 'button', class: 'approve' }, 'Approve'), h('button', { type: 'button', class: 'deny' }, 'Deny'))
      : h('p', { class: 'approval-status' }, status);
    el.card = h(
      'div',
      { class: 'approval', role: 'group', 'aria-labelledby': id },
      h('p', { class: 'approval-title', id }, 'The assistant wants to make this request. Allow it?'),
      h('p', { class: 'approval-call' }, h('b', {}, approval.method.toUpperCase()), ' ', h('code', {}, approval.path), h('span', { class: 'approval-op' }, approval.operation)),
      rows.length ? h('dl', { class: 'approval-params', 'aria-label': 'Parameters' }, ...rows) : null,
      actions,
    );
    for (const [selector, decision] of [['.approve', 'approve'], ['.deny', 'deny']] as const) {
      el.card.querySelector(selector)?.addEventListener('click', () => {
        handlers.decide(turn, decision);
        input.focus();
      });
    }
    el.bubble.before(el.card);
    if (hadFocus) input.focus();
  }

  function renderError(turn: Turn, el: TurnElements) {
    el.error?.remove();
    el.error = null;
    if (!turn.error) return;
    const retry = turn.error.retryable && turn === lastTurn ? h('button', { type: 'button', class: 'retry' }, 'Try again') : null;
    retry?.addEventListener('click', () => handlers.retry(turn));
    el.error = h('div', { class: 'error', role: 'alert' }, h('p', {}, turn.error.message), retry);
    el.root.append(el.error);
  }

  return {
    host,
    shadow,
    apply(options: WidgetOptions) {
      title.textContent = options.title || DEFAULTS.title;
      greeting.textContent = options.greeting ?? DEFAULTS.greeting;
      greeting.hidden = !greeting.textContent;
      input.placeholder = options.placeholder || DEFAULTS.placeholder;
      root.dataset.position = options.theme?.position === 'bottom-left' ? 'bottom-left' : 'bottom-right';
      applyAccent(root, options.theme?.accent);
    },
    setOpen(next: boolean, { focus }: { focus: boolean }) {
      if (inline) return;
      const hadFocus = focusIsInside(panel);
      open = next;
      panel.hidden = !open;
      root.toggleAttribute('data-open', open);
      launcher.setAttribute('aria-expanded', String(open));
      launcher.setAttribute('aria-label', open ? 'Minimize chat' : 'Open chat');
      launcher.replaceChildren(open ? icons.chevronDown() : icons.chat());
      if (open) {
        scrollToEnd();
        if (focus) input.focus();
      } else if (hadFocus || focus) {
        launcher.focus();
      }
    },
    setBusy(next: boolean) {
      busy = next;
      log.setAttribute('aria-busy', String(busy));
      setSendButton();
    },
    renderTurn(turn: Turn, isLast: boolean) {
      const follow = log.scrollHeight - log.scrollTop - log.clientHeight < 48 || !turns.has(turn);
      const el = turnElements(turn);
      if (isLast) lastTurn = turn;
      el.answer.data = turn.answer;
      el.bubble.hidden = !turn.answer;
      const chipsKey = turn.tools.map(chipLabel).join('\n');
      if (chipsKey !== el.chipsKey) {
        el.chipsKey = chipsKey;
        el.chips.hidden = turn.tools.length === 0;
        el.chips.replaceChildren(...turn.tools.map((chip) => h('li', { class: 'chip', 'data-state': chipState(chip), title: chip.durationMs === undefined ? undefined : `${chip.durationMs} ms` }, h('span', {}, chipLabel(chip)))));
      }
      el.typing.hidden = !((turn.state === 'waiting' || turn.state === 'streaming') && !turn.answer);
      el.note.hidden = turn.state !== 'stopped';
      el.dropped.hidden = !turn.droppedHeaders?.length;
      el.dropped.textContent = turn.droppedHeaders?.length ? `Headers this assistant doesn't accept were left out: ${turn.droppedHeaders.join(', ')}` : '';
      renderCard(turn, el);
      renderError(turn, el);
      if (follow) scrollToEnd();
    },
    clear() {
      shadow.querySelector('.confirm')?.remove();
      for (const el of turns.values()) el.root.remove();
      turns.clear();
      lastTurn = null;
    },
    /** Removes the UI; the host element goes too unless someone else (React) owns it. */
    destroy(removeHost: boolean) {
      shadow.replaceChildren();
      turns.clear();
      host.removeAttribute('data-inline');
      if (removeHost) host.remove();
    },
  };
}

/** Sets the accent colour and picks dark or light text on it, whichever contrasts more. */
function applyAccent(root: HTMLElement, accent: string | undefined) {
  if (!accent || !CSS.supports('color', accent)) {
    root.style.removeProperty('--accent');
    root.style.removeProperty('--on-accent');
    return;
  }
  root.style.setProperty('--accent', accent);
  const probe = h('span', { hidden: true });
  probe.style.color = accent;
  root.append(probe);
  const [r = 0, g = 0, b = 0] = (getComputedStyle(probe).color.match(/[\d.]+/g) ?? []).map(Number);
  probe.remove();
  const channel = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const whiteContrast = 1.05 / (luminance + 0.05);
  const darkContrast = (luminance + 0.05) / 0.0589;
  root.style.setProperty('--on-accent', whiteContrast >= darkContrast ? '#fff' : '#0f172a');
}
