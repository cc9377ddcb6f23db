import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

/** Every unknown URL, and every copilot the visitor can't see (they look the same on purpose). */
export default function NotFound() {
  return (
    <main className="grid min-h-screen place-items-center px-4 py-16">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
        <p className="font-mono text-sm font-semibold text-indigo-700">404</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">Page not found</h1>
        <p className="mt-3 text-sm text-slate-600">
          This page doesn&apos;t exist, or you don&apos;t have access to it. If someone sent you a link to a copilot, ask them to invite you.
        </p>
        <div className="mt-6 flex flex-wrap justify-center gap-2">
          <Link href="/copilots" className="inline-flex h-10 items-center rounded-md bg-indigo-600 px-4 text-sm font-medium text-white shadow-sm hover:bg-indigo-500">
            Go to your copilots
          </Link>
        </div>
      </div>
    </main>
  );
}
