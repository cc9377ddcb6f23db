// The dashboard's Content-Security-Policy. Scripts run only with this response's nonce (Next.js puts it
// on its own scripts: it reads it from the policy that proxy.ts sets on the request), and what those
// scripts load ('strict-dynamic'); no other origin, no inline script or handler, no plugins, no <base>,
// no framing, forms post only here.
//
// Styles allow 'unsafe-inline': React renders style attributes, and Radix (scroll lock) and sonner
// (toasts) insert <style> elements at run time without a nonce. CSS can't run script; script-src is
// what stops an injected script.

export type PolicyOptions = {
  nonce: string;
  /** `next dev`: React's debugging needs eval, and the hot-reload socket is ws:. */
  development: boolean;
  /** The public URL is https: ask the browser to upgrade any http subresource. */
  https: boolean;
};

export function contentSecurityPolicy({ nonce, development, https }: PolicyOptions): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    ['style-src', "'self'", "'unsafe-inline'"],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'"],
    ['connect-src', "'self'", ...(development ? ['ws:', 'wss:'] : [])],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
    ...(https ? [['upgrade-insecure-requests'] as [string]] : []),
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

/** 128 random bits, base64: unguessable, and valid in a CSP nonce-source. */
export function generateNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
