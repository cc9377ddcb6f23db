// The floor under any Node.js data plane: a node:http server that forwards each request to one
// upstream over an undici keep-alive pool, adds one header and copies the answer back — no key check,
// no destination rules, no merge, no redaction. The runtime bench measures it beside the real data
// plane so the ratio says how much of the gap to nginx is the platform and how much is ours.
// Usage: node bench/bare-forwarder.mjs <port> <upstream origin> <header name> <header value> <strip prefix>
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [port, upstream, headerName, headerValue, prefix] = process.argv.slice(2);
const pool = new Pool(upstream, { connections: 64 });

const server = createServer((req, res) => {
  const headers = { ...req.headers, [headerName.toLowerCase()]: headerValue };
  delete headers.host;
  delete headers.connection;
  const chunks = [];
  let status = 502;
  let contentType = 'application/octet-stream';
  pool.dispatch(
    { origin: upstream, path: req.url.startsWith(prefix) ? req.url.slice(prefix.length) : req.url, method: req.method, headers },
    {
      onRequestStart() {},
      onResponseStart(_controller, statusCode, responseHeaders) {
        status = statusCode;
        contentType = responseHeaders['content-type'] ?? contentType;
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        const body = Buffer.concat(chunks);
        res.writeHead(status, { 'content-type': contentType, 'content-length': body.length });
        res.end(body);
      },
      onResponseError() {
        res.writeHead(502);
        res.end();
      },
    },
  );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
