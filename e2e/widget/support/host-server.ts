// A customer's site on its own origin (its own node:http server on 127.0.0.1): it serves the pages a
// test writes, each embedding the widget the way a customer would.
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type HostServer = Awaited<ReturnType<typeof startHostServer>>;

export type HostPage = {
  /** Runs after the widget's <script> loaded: calls initOpenScript(…) (or nothing, for data-token). */
  init?: string;
  /** Extra <head> content, e.g. the host's own aggressive CSS. */
  head?: string;
  /** The widget script tag; default `<script src="<app>/widget.js">`. */
  script?: string;
  /** Replaces the whole document (e.g. the React host). */
  html?: string;
};

const SHOP = `
<header class="shop-header"><strong>Acme Outfitters</strong><nav><a href="#orders">Orders</a> · <a href="#help">Help</a></nav></header>
<main>
  <h1>Your orders</h1>
  <p id="intro">Track a parcel, change an address or ask our assistant anything about an order.</p>
  <div class="card" id="order-42"><h2>Order #42</h2><p>Trail runner shoes · shipped Tuesday</p><button id="host-button" type="button">Track order</button></div>
  <div class="card"><h2>Order #43</h2><p>Rain shell · preparing</p></div>
</main>`;

const SHOP_CSS = `
body { margin: 0; font-family: Georgia, serif; background: #faf7f2; color: #222; }
.shop-header { display: flex; justify-content: space-between; padding: 16px 24px; background: #1f3b2d; color: #fff; }
.shop-header a { color: #cfe8d6; }
main { max-width: 720px; margin: 0 auto; padding: 24px; }
.card { background: #fff; border: 1px solid #e4ddd0; border-radius: 8px; padding: 16px 20px; margin: 16px 0; }
.card h2 { margin: 0 0 4px; font-size: 18px; }`;

export function hostDocument(page: HostPage, appOrigin: string): string {
  if (page.html) return page.html;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Outfitters — orders</title><style>${SHOP_CSS}</style>${page.head ?? ''}</head>
<body>${SHOP}
${page.script ?? `<script src="${appOrigin}/widget.js"></script>`}
<script>${page.init ?? ''}</script>
</body></html>`;
}

export async function startHostServer() {
  const files = new Map<string, { type: string; body: string | Uint8Array }>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    const file = files.get(path);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
    res.end(file.body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let next = 0;
  return {
    /** The site's origin; the protocol server allows it. */
    origin: `http://127.0.0.1:${port}`,
    /** The same server under another origin (host name), which the protocol server does not allow. */
    otherOrigin: `http://localhost:${port}`,
    /** Publishes a file and returns its path. */
    serve(body: string | Uint8Array, type = 'text/html; charset=utf-8', path = `/page-${++next}.html`) {
      files.set(path, { type, body });
      return path;
    },
    reset() {
      files.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
