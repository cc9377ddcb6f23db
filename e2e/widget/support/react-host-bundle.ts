import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * e2e/widget/support/react-host.tsx bundled as a customer's bundler would: '@copilot-headers/widget/react'
 * resolves through widget/package.json's "exports" to the built files (npm run build made them).
 */
export async function bundleReactHost(): Promise<string> {
  const pkg = JSON.parse(readFileSync('widget/package.json', 'utf8')) as { name: string; exports: Record<string, { import: string }> };
  const result = await build({
    entryPoints: ['e2e/widget/support/react-host.tsx'],
    bundle: true,
    write: false,
    format: 'iife',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'warning',
    plugins: [
      {
        name: 'widget-package',
        setup(b) {
          b.onResolve({ filter: new RegExp(`^${pkg.name}(/|$)`) }, (args) => {
            const entry = pkg.exports[`.${args.path.slice(pkg.name.length)}`];
            if (!entry) return { errors: [{ text: `${args.path} is not exported by widget/package.json` }] };
            return { path: path.resolve('widget', entry.import) };
          });
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}

/** The host page around the bundle; `config` is what react-host.tsx reads from window.E2E. */
export function reactHostHtml(config: { token: string; apiUrl: string; jwt: string; freshJwt: string; inline: boolean }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>React host</title></head>
<body><div id="root"></div><script>window.E2E = ${JSON.stringify(config).replace(/</g, '\\u003c')};</script><script src="/react-host.js"></script></body></html>`;
}
