// The demo's "customer site": a page on its own origin that embeds the widget exactly as the docs say —
// <script src="<app>/widget.js"> and initOpenScript({ token, headers }) — with a signed-in demo user
// whose token the page passes as the User-Token header, and a button that switches user (setHeaders).
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mintDemoSession, sealedPageHtml } from './sealed-page';

export type HostPage = { origin: string; close(): Promise<void> };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function hostPageHtml({ appUrl, token }: { appUrl: string; token?: string }): string {
  const config = JSON.stringify({ token: token ?? null }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo shop</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1e293b; background: #f8fafc; }
  header { background: #0f172a; color: #fff; padding: 16px 24px; display: flex; flex-wrap: wrap; gap: 12px; align-items: center; justify-content: space-between; }
  main { max-width: 720px; margin: 24px auto; padding: 0 24px; }
  button, input { font: inherit; }
  button { padding: 6px 12px; border-radius: 6px; border: 1px solid #94a3b8; background: #fff; cursor: pointer; }
  input { padding: 6px 8px; border-radius: 6px; border: 1px solid #94a3b8; width: min(100%, 420px); }
  code { background: #e2e8f0; padding: 1px 4px; border-radius: 4px; }
</style>
</head>
<body>
<header><strong>Demo shop</strong><span>Signed in as <b id="user">alice</b> <button type="button" id="switch">Switch to bob</button></span></header>
<main>
  <h1>Your orders</h1>
  <p>Alice owns order <b>42</b>, Bob owns order <b>43</b>. Open the chat (bottom right) and ask <i>"Where is order 42?"</i>.</p>
  <p>This page passes the signed-in user's token to the widget as <code>User-Token</code>; the copilot adds the
  dashboard's <code>X-API-Key</code>. Neither is stored by the copilot.</p>
  <form id="token-form" hidden>
    <label for="token">Widget token (copilot → General):</label><br>
    <input id="token" name="token" placeholder="cpt_…" required> <button>Use it</button>
  </form>
</main>
<script src="${escape(appUrl.replace(/\/+$/, ''))}/widget.js"></script>
<script>
  const config = ${config};
  const token = new URLSearchParams(location.search).get('token') || config.token;
  const users = { alice: 'demo-user-alice-' + crypto.randomUUID(), bob: 'demo-user-bob-' + crypto.randomUUID() };
  let current = 'alice';
  if (!token) {
    document.getElementById('token-form').hidden = false;
  } else {
    window.copilot = initOpenScript({ token, headers: { 'User-Token': users[current] }, title: 'Shop assistant', open: true });
  }
  document.getElementById('switch').addEventListener('click', (event) => {
    current = current === 'alice' ? 'bob' : 'alice';
    document.getElementById('user').textContent = current;
    event.target.textContent = 'Switch to ' + (current === 'alice' ? 'bob' : 'alice');
    // A sign-in change: new headers for the next message, and a fresh conversation.
    window.copilot?.setHeaders({ 'User-Token': users[current] });
    window.copilot?.reset();
  });
</script>
</body>
</html>`;
}

/**
 * `/`: raw headers from the page. `/sealed`: sealed sessions — the page asks `POST /session?user=…`, and this
 * server (the shop's backend) mints one with `serverKey`.
 */
export async function startHostPage({ appUrl, token, port = 0, serverKey }: { appUrl: string; token?: string; port?: number; serverKey?: string }): Promise<HostPage> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://host');
    if (req.method === 'POST' && url.pathname === '/session') {
      void mintDemoSession({ appUrl, serverKey, user: url.searchParams.get('user') ?? 'alice' }).then(
        ({ status, body }) => res.writeHead(status === 201 ? 200 : status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body),
        () => res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":"The app did not answer."}'),
      );
      return;
    }
    const page = req.method !== 'GET' ? null : url.pathname === '/' ? hostPageHtml({ appUrl, token }) : url.pathname === '/sealed' ? sealedPageHtml({ scriptUrl: `${escape(appUrl.replace(/\/+$/, ''))}/widget.js` }) : null;
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('Not found');
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
