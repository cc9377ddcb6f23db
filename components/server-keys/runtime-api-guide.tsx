import { Card } from '@/components/app-shell/page-header';
import { CodeBlock } from '@/components/ui/code-block';

/** A copy-pasteable proxy call: the engine's own request, its server key in X-Copilot-Server-Key, a widget header as a plain header. */
export function proxyCurlExample(origin: string): string {
  return `curl -sS '${origin}/api/v1/proxy/orders/42' \\
  -H "X-Copilot-Server-Key: $SERVER_KEY" \\
  -H 'User-Token: <the token the widget sent for this user>'`;
}

/** A copy-pasteable relay call: one dashboard header (added by the runtime) and one widget header (passed through). */
export function relayCurlExample(origin: string): string {
  return `curl -sS -X POST '${origin}/api/v1/relay' \\
  -H "Authorization: Bearer $SERVER_KEY" \\
  -H 'Content-Type: application/json' \\
  --data '{
    "request": { "method": "GET", "url": "/orders/42" },
    "widgetHeaders": { "User-Token": "<the token the widget sent for this user>" }
  }'`;
}

const RESPONSE_EXAMPLE = `{
  "status": 200,
  "headers": { "content-type": "application/json" },
  "body": "{\\"id\\":42,\\"state\\":\\"shipped\\"}",
  "bodyEncoding": "utf8",
  "durationMs": 38,
  "finalUrl": "https://api.example.com/v1/orders/42"
}`;

export function RuntimeApiGuide({ origin, firstBaseUrl }: { origin: string; firstBaseUrl: string | null }) {
  return (
    <Card
      title="Calling your API through the runtime"
      description="Your copilot engine sends each API call to the runtime with a server key. The runtime adds this copilot's global headers (decrypted only for that call), merges the per-user widget headers you pass along, calls your API and returns its answer with every stored secret redacted."
    >
      <div className="space-y-5">
        <CodeBlock code={proxyCurlExample(origin)} label="Proxy request example" testId="proxy-curl-example" />
        <p className="text-sm text-slate-600">
          <strong className="font-medium text-slate-800">Transparent proxy.</strong> Point your engine&apos;s HTTP client at{' '}
          <code className="font-mono text-xs">{origin}/api/v1/proxy</code> and send each call as you would to your API: its own headers are the widget
          headers, request bodies stream to your API, and the answer is your API&apos;s status, headers and body (stored secrets redacted). Only the server key header is the runtime&apos;s; an
          answer the runtime gives itself (such as 401 for a bad key) carries <code className="font-mono text-xs">X-Copilot-Runtime-Error</code>.
        </p>
        <CodeBlock code={relayCurlExample(origin)} label="Relay request example" testId="relay-curl-example" />
        <p className="text-sm text-slate-600">
          <strong className="font-medium text-slate-800">JSON relay.</strong> Or describe the call in a JSON envelope and get the answer back as JSON.
        </p>
        <p className="text-sm text-slate-600">
          Here <code className="font-mono text-xs">X-API-Key</code> (a global header on the Global variables/headers tab) is added by the runtime, and{' '}
          <code className="font-mono text-xs">User-Token</code> comes from the widget: your engine passes it per request in{' '}
          <code className="font-mono text-xs">widgetHeaders</code>. It is used for that call only — never stored or logged. A path such as{' '}
          <code className="font-mono text-xs">/orders/42</code> is resolved under {firstBaseUrl ? <code className="font-mono text-xs">{firstBaseUrl}</code> : 'the first API base URL'}; an absolute URL must sit under one of the API base URLs.
        </p>
        <div className="rounded-md border border-slate-200 bg-slate-50 p-4 text-sm text-slate-700">
          <h3 className="font-medium text-slate-900">Merge rules</h3>
          <p className="mt-1">
            When a global header and a widget header have the same name (case-insensitive), the global header wins — unless &ldquo;widget may override&rdquo; is ticked on that
            header. Global headers are only ever sent to this copilot&apos;s API base URLs; a redirect to any other origin is returned to your engine, not followed, so
            credentials never leave your API. Hop-by-hop headers are dropped, and secret values echoed back by your API come back as <code className="font-mono text-xs">[REDACTED]</code>.
          </p>
        </div>
        <CodeBlock code={RESPONSE_EXAMPLE} label="Relay response example" />
        <p className="text-xs text-slate-500">
          With the relay, any answer from your API — including 401 or 500 — comes back as HTTP 200 with the upstream status in <code className="font-mono">status</code>. The runtime&apos;s own
          refusals (in both modes) use their own status and <code className="font-mono">{'{ "error": { "code", "message" } }'}</code>: 401 without a valid server key, 429 over the per-key rate limit
          (see Retry-After), 400 for an invalid body or a URL outside the API base URLs, 403 for a private address that is not allowed, 502/504 when your API fails or times out.
        </p>
      </div>
    </Card>
  );
}
