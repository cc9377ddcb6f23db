'use client';

import './globals.css';

/** When even the root layout fails: a whole document of its own, with the same words as error.tsx. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <main className="grid min-h-screen place-items-center px-4 py-16">
          <div role="alert" className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
            <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Something went wrong</h1>
            <p className="mt-3 text-sm text-slate-600">Copilot Headers could not show this page. Try again; if it keeps happening, give the reference below to an administrator.</p>
            {error.digest ? (
              <p className="mt-3 text-xs text-slate-600">
                Reference <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono">{error.digest}</code>
              </p>
            ) : null}
            <button type="button" onClick={reset} className="mt-6 inline-flex h-10 items-center rounded-md bg-indigo-600 px-4 text-sm font-medium text-white shadow-sm hover:bg-indigo-500">
              Try again
            </button>
          </div>
        </main>
      </body>
    </html>
  );
}
