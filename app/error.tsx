'use client';

import Link from 'next/link';

/**
 * A page that failed on the server or in the browser. Next.js gives the browser only a digest (never the
 * error's message in production): show it as the reference an operator can find in the server log.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="grid min-h-[60vh] place-items-center px-4 py-16">
      <div role="alert" className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Something went wrong</h1>
        <p className="mt-3 text-sm text-slate-600">This page could not be shown. Try again; if it keeps happening, give the reference below to an administrator.</p>
        {error.digest ? (
          <p className="mt-3 text-xs text-slate-600">
            Reference <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono">{error.digest}</code>
          </p>
        ) : null}
        <div className="mt-6 flex flex-wrap justify-center gap-2">
          <button type="button" onClick={reset} className="inline-flex h-10 items-center rounded-md bg-indigo-600 px-4 text-sm font-medium text-white shadow-sm hover:bg-indigo-500">
            Try again
          </button>
          <Link href="/copilots" className="inline-flex h-10 items-center rounded-md px-4 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
            Go to your copilots
          </Link>
        </div>
      </div>
    </main>
  );
}
