/** Per-user headers for the copilot's API calls: used for one turn, never stored by the widget or the server. */
export type WidgetHeaders = Record<string, string>;

/** A plain object, or a function (sync or async) called before every message — e.g. to read a fresh token. */
export type WidgetHeadersOption = WidgetHeaders | (() => WidgetHeaders | Promise<WidgetHeaders>);

/**
 * A sealed session minted by your backend (POST /api/v1/widgets/sessions), or a function (sync or async)
 * that returns one. The function is called for the first message and again whenever the session has
 * expired or was ended, so the widget asks the page for a new one by itself.
 */
export type WidgetSessionOption = string | (() => string | Promise<string>);

/**
 * A signed identity token (a JWT your backend signs for the signed-in user: docs/widget.md, "Signed identity"),
 * or a function (sync or async) that returns one. The function is called for the first message and again
 * whenever the token has expired, so the widget asks the page for a new one by itself.
 */
export type WidgetIdentityTokenOption = string | (() => string | Promise<string>);

export type WidgetUser = { id?: string; name?: string; email?: string };

export type WidgetTheme = {
  /** Any CSS color; text on it turns dark or light to stay readable. */
  accent?: string;
  position?: 'bottom-right' | 'bottom-left';
};

/** One options object for `initOpenScript(options)` and `<WidgetRoot options={options}>`. */
export type WidgetOptions = {
  /** The copilot's public widget token (dashboard → copilot → General). */
  token: string;
  headers?: WidgetHeadersOption;
  /** Instead of raw `headers`: the user's headers sealed by your backend, unreadable in the page. */
  session?: WidgetSessionOption;
  /** Who the user is, signed by your backend: the assistant fills `{{user.id}}` templates from it. */
  identityToken?: WidgetIdentityTokenOption;
  user?: WidgetUser;
  /** The app that serves the chat endpoint. Default: the origin of widget.js (script tag), else the page's origin. */
  apiUrl?: string;
  title?: string;
  greeting?: string;
  placeholder?: string;
  theme?: WidgetTheme;
  /** Start opened. */
  open?: boolean;
  /**
   * The customer's API refused the user's credentials. Refresh them (return new headers, or call
   * `setHeaders`) and resolve: the widget retries the turn once. Reject to give up.
   */
  onAuthError?: (info: { status: number }) => void | Promise<void | WidgetHeaders>;
};

export type WidgetHandle = {
  /** Applies option changes (title, theme, token, headers, …) without remounting. */
  update(partial: Partial<WidgetOptions>): void;
  /** New per-user headers for the next message (token refresh). */
  setHeaders(headers: WidgetHeadersOption | undefined): void;
  open(): void;
  close(): void;
  /** Clears the transcript (e.g. on sign-out) and stops a running answer. */
  reset(): void;
  /** Removes the widget from the page and forgets its options, headers included. */
  destroy(): void;
};
