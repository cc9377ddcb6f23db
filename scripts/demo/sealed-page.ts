// The demo shop's sealed-session page (`/sealed`): the page holds no user credential at all. Its widget's
// `session` is a function that asks the shop's own backend (`POST /session`), which knows the signed-in
// user's token and mints a sealed session with a server key — exactly what docs/widget.md describes.
import { randomUUID } from 'node:crypto';
import { DEMO_USER_TOKEN_PREFIX } from './sample-api';

export const DEMO_USERS = ['alice', 'bob'] as const;
export type DemoUser = (typeof DEMO_USERS)[number];

/** The shop backend's users and their API tokens: made once per demo run, never sent to the browser. */
const backendTokens: Record<DemoUser, string> = { alice: `${DEMO_USER_TOKEN_PREFIX}alice-${randomUUID()}`, bob: `${DEMO_USER_TOKEN_PREFIX}bob-${randomUUID()}` };

export type MintAnswer = { status: number; body: string };

/** The shop backend's half: a sealed session for `user`, minted with the copilot's server key. */
export async function mintDemoSession({ appUrl, serverKey, user }: { appUrl: string; serverKey: string | undefined; user: string }): Promise<MintAnswer> {
  if (!serverKey) return { status: 503, body: JSON.stringify({ error: 'Start the demo with --server-key chsk_… (copilot → Runtime API → Create server key) to mint sessions.' }) };
  const who: DemoUser = user === 'bob' ? 'bob' : 'alice';
  const response = await fetch(`${appUrl.replace(/\/+$/, '')}/api/v1/widgets/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serverKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user: { id: who, name: who }, headers: { 'User-Token': backendTokens[who] } }),
  });
  return { status: response.status, body: await response.text() };
}

/** `scriptUrl`: <app>/widget.js, already HTML-escaped. */
export function sealedPageHtml({ scriptUrl }: { scriptUrl: string }): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Demo shop (sealed sessions)</title>
<style>body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1e293b; background: #f8fafc; } header { background: #0f172a; color: #fff; padding: 16px 24px; display: flex; flex-wrap: wrap; gap: 12px; justify-content: space-between; } main { max-width: 720px; margin: 24px auto; padding: 0 24px; } button { font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid #94a3b8; background: #fff; cursor: pointer; } code { background: #e2e8f0; padding: 1px 4px; border-radius: 4px; }</style>
</head>
<body>
<header><strong>Demo shop — sealed sessions</strong><span>Signed in as <b id="user">alice</b> <button type="button" id="switch">Switch to bob</button></span></header>
<main>
  <h1>Your orders</h1>
  <p>This page holds <b>no</b> user token. The widget asks this shop's backend for a <code>session</code>; the backend mints it with a
  server key (<code>POST /api/v1/widgets/sessions</code>), sealing the user's <code>User-Token</code> inside. Look in devtools: the token is nowhere.</p>
</main>
<script src="${scriptUrl}"></script>
<script>
  const token = new URLSearchParams(location.search).get('token');
  let current = 'alice';
  const sessionFor = (user) => () => fetch('/session?user=' + user, { method: 'POST' }).then((r) => r.ok ? r.json() : Promise.reject(new Error('no session'))).then((s) => s.session);
  if (token) window.copilot = initOpenScript({ token, session: sessionFor(current), title: 'Shop assistant', open: true });
  document.getElementById('switch').addEventListener('click', (event) => {
    current = current === 'alice' ? 'bob' : 'alice';
    document.getElementById('user').textContent = current;
    event.target.textContent = 'Switch to ' + (current === 'alice' ? 'bob' : 'alice');
    window.copilot?.update({ session: sessionFor(current) });
    window.copilot?.reset();
  });
</script>
</body>
</html>`;
}
