import Link from 'next/link';
import { CheckCircle2, Circle } from 'lucide-react';
import type { SetupStep } from '@/lib/copilots/setup-checklist';

/** The copilot's way to its first answer; shown on its overview until every step is done. */
export function SetupChecklist({ steps }: { steps: SetupStep[] }) {
  const done = steps.filter((s) => s.done).length;
  return (
    <section aria-labelledby="setup-checklist-title" className="rounded-xl border border-indigo-200 bg-indigo-50 p-4 sm:p-5" data-testid="setup-checklist">
      <h2 id="setup-checklist-title" className="text-base font-semibold text-slate-900">
        Set up this copilot <span className="font-normal text-slate-600">· {done} of {steps.length} done</span>
      </h2>
      <p className="mt-1 text-sm text-slate-700">Each step links to the place to do it; a tick appears once it is saved.</p>
      <ol className="mt-3 grid gap-2 sm:grid-cols-2">
        {steps.map((step) => (
          <li key={step.key} data-step={step.key} data-done={step.done ? 'true' : 'false'}>
            <Link
              href={step.href}
              className="flex items-start gap-2 rounded-md bg-white px-3 py-2 text-sm text-slate-800 shadow-sm ring-1 ring-slate-200 hover:ring-indigo-400 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600"
            >
              {step.done ? <CheckCircle2 aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-emerald-700" /> : <Circle aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-slate-500" />}
              <span className={step.done ? 'text-slate-600' : 'font-medium'}>
                {step.label}
                <span className="sr-only">{step.done ? ' (done)' : ' (to do)'}</span>
              </span>
            </Link>
          </li>
        ))}
      </ol>
    </section>
  );
}
