// The chat bench's model and API, in a process of their own so their CPU is not counted as the data
// plane's: the fake OpenAI-compatible model (one tool call, then a sentence) and an orders API that wants
// X-API-Key and User-Token. Prints one JSON line with their addresses; stops on SIGTERM.
import { defaultScript, startFakeModel } from '@/test/fixtures/fake-model';
import { startServer } from '@/test/fixtures/test-servers';

const model = await startFakeModel(defaultScript('{"path":{"id":"42"}}'));
// The fake model keeps every request for tests; a long bench needs none of them.
setInterval(() => model.requests.splice(0), 1_000).unref();
const api = await startServer();
api.route('/api/orders/42', (req, res) => {
  const ok = req.headers['x-api-key'] && req.headers['user-token'];
  res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
  res.end(ok ? '{"id":"42","status":"shipped","eta":"tomorrow"}' : '{"error":"missing credentials"}');
});
setInterval(() => api.requests.splice(0), 1_000).unref();
console.log(JSON.stringify({ modelBaseUrl: model.baseUrl, apiOrigin: api.origin }));
process.on('SIGTERM', () => void Promise.all([model.close(), api.close()]).then(() => process.exit(0)));
