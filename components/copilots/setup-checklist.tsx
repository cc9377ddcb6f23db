'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { CheckCircle2, ChevronDown, Circle } from 'lucide-react';
import { cn } from '@/components/ui/cn';
import type { SetupStep, SetupStepKey } from '@/lib/copilots/setup-checklist';
import type { SetupGuide } from '@/lib/copilots/setup-guide';
import { AddHeaderForm, GeneralSettingsForm, ImportDocumentForm, ModelForm, PreviewPanel } from './setup-step-forms';

type Copilot = { id: string; name: string; apiBaseUrls: string[]; allowedOrigins: string[] };
type Preview = NonNullable<SetupGuide['preview']>;

/** After a message in the checklist's Preview: ask the server for the first-answer tick this often, this long. */
const ANSWER_POLL_MS = 2_500;
const ANSWER_POLL_FOR_MS = 90_000;

const INTRO: Partial<Record<SetupStepKey, string>> = {
  credential: 'The system-wide credential your API expects on every call, e.g. an X-API-Key. Encrypted before it is stored, never shown again.',
  actions: 'Paste or upload your API’s OpenAPI document: its reading operations (GET) start switched on, the rest off.',
  model: 'Any OpenAI-compatible endpoint and the model name it expects.',
  origin: 'The site that will embed the chat widget, e.g. https://app.example.com.',
  firstAnswer: 'Ask what your users would ask, with the headers your page would pass for a signed-in user.',
};

const toggleId = (key: SetupStepKey) => `setup-step-${key}`;

/**
 * The copilot's way to its first answer, on its overview until every step is done. For owners and admins
 * each open step opens here into the tab's own form (the same server actions); after a save the page
 * refreshes, the tick comes from what is stored and the next open step opens. Viewers see the ticks.
 */
export function SetupChecklist({ copilot, steps, guide, className }: { copilot: Copilot; steps: SetupStep[]; guide: SetupGuide | null; className?: string }) {
  const router = useRouter();
  // Shown while something is left to do, and stays (saying so) when the last tick arrives while it is open.
  const [shown] = useState(() => steps.some((step) => !step.done));
  const canOpen = (step: SetupStep) => guide !== null && !step.done && step.key !== 'apiBaseUrl';
  const firstOpen = () => steps.find(canOpen)?.key ?? null;
  const [expanded, setExpanded] = useState<SetupStepKey | null>(firstOpen);
  const [focus, setFocus] = useState<{ key: SetupStepKey } | null>(null);

  // A tick arrived: the step it closes folds away and the next open step opens, with the focus on it.
  const ticks = steps.map((step) => (step.done ? '1' : '0')).join('');
  const [seenTicks, setSeenTicks] = useState(ticks);
  if (ticks !== seenTicks) {
    setSeenTicks(ticks);
    const current = steps.find((step) => step.key === expanded);
    if (current?.done && current.key !== 'firstAnswer') {
      const next = firstOpen();
      setExpanded(next);
      if (next) setFocus({ key: next });
    }
  }
  useEffect(() => {
    if (focus) document.getElementById(toggleId(focus.key))?.focus();
  }, [focus]);

  // The Preview grant in use: a refresh mints another, taken only when it lasts notably longer (the chat keeps its own).
  const [preview, setPreview] = useState<Preview | null>(guide?.preview ?? null);
  const incoming = guide?.preview;
  if (incoming && (!preview || incoming.expiresAt - preview.expiresAt > 60_000)) setPreview(incoming);

  // The chat endpoint records the first answer itself: after a message, refresh until its tick is stored.
  const [askedAt, setAskedAt] = useState(0);
  const onMessage = useCallback(() => setAskedAt(Date.now()), []);
  const answered = steps.some((step) => step.key === 'firstAnswer' && step.done);
  useEffect(() => {
    if (!askedAt || answered) return;
    const timer = setInterval(() => router.refresh(), ANSWER_POLL_MS);
    const stop = setTimeout(() => clearInterval(timer), ANSWER_POLL_FOR_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(stop);
    };
  }, [askedAt, answered, router]);

  if (!shown) return null;
  const done = steps.filter((s) => s.done).length;

  function content(step: SetupStep): ReactNode {
    if (!guide && step.key !== 'firstAnswer') return null;
    switch (step.key) {
      case 'credential':
        return <AddHeaderForm copilotId={copilot.id} />;
      case 'actions':
        return (
          <>
            <ImportDocumentForm copilotId={copilot.id} reimport={false} apiBaseUrls={copilot.apiBaseUrls} canChangeBaseUrls={guide!.isOwner} />
            <p className="mt-3 text-sm text-slate-600">
              Tools from an MCP server instead?{' '}
              <Link href={`/copilots/${copilot.id}/actions`} className="font-medium text-indigo-700 underline underline-offset-2 hover:text-indigo-900">
                Add the server on the Actions tab
              </Link>
              .
            </p>
          </>
        );
      case 'model':
        return guide!.model ? <ModelForm copilotId={copilot.id} settings={guide!.model} canChangeEndpoint={guide!.isOwner} /> : null;
      case 'origin':
        return <GeneralSettingsForm copilot={copilot} fields={['allowedOrigins']} submitLabel="Save allowed origins" />;
      case 'firstAnswer':
        return preview ? (
          <PreviewPanel compact grant={preview.grant} expiresAt={preview.expiresAt} apiUrl={preview.apiUrl} copilotName={copilot.name} onMessage={onMessage} />
        ) : (
          <p className="text-sm text-slate-700">The Preview chats through the model: set it up first (the Model step).</p>
        );
      default:
        return null;
    }
  }

  return (
    <section aria-labelledby="setup-checklist-title" className={cn('rounded-xl border border-indigo-200 bg-indigo-50 p-4 sm:p-5', className)} data-testid="setup-checklist">
      <h2 id="setup-checklist-title" className="text-base font-semibold text-slate-900">
        Set up this copilot <span className="font-normal text-slate-600">· {done} of {steps.length} done</span>
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        {guide
          ? 'Each step opens here: save it and the next one opens. A tick appears once it is stored.'
          : done === steps.length
            ? 'All set: this copilot has answered in Preview. From your next visit the overview no longer shows these steps.'
            : 'A tick appears once each step is stored. Owners and admins complete them.'}
      </p>
      <ol className="mt-3 space-y-2">
        {steps.map((step) => {
          const body = expanded === step.key ? content(step) : null;
          const toggleable = canOpen(step) || body !== null;
          const label = (
            <>
              {step.done ? <CheckCircle2 aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-emerald-700" /> : <Circle aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-slate-500" />}
              <span className={cn('min-w-0 flex-1', step.done ? 'text-slate-600' : 'font-medium text-slate-900')}>
                {step.label}
                <span className="sr-only">{step.done ? ' (done)' : ' (to do)'}</span>
              </span>
            </>
          );
          return (
            <li key={step.key} data-step={step.key} data-done={step.done ? 'true' : 'false'} className="rounded-md bg-white shadow-sm ring-1 ring-slate-200">
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2">
                <h3 className="min-w-0 flex-1 basis-56 text-sm">
                  {toggleable ? (
                    <button
                      type="button"
                      id={toggleId(step.key)}
                      aria-expanded={body !== null}
                      aria-controls={body !== null ? `${toggleId(step.key)}-panel` : undefined}
                      onClick={() => setExpanded(body !== null ? null : step.key)}
                      className="flex w-full items-start gap-2 rounded text-left focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600"
                    >
                      {label}
                      <ChevronDown aria-hidden className={cn('mt-0.5 h-4 w-4 shrink-0 text-slate-500 transition-transform', body !== null && 'rotate-180')} />
                    </button>
                  ) : (
                    <span className="flex items-start gap-2">{label}</span>
                  )}
                </h3>
                <Link href={step.href} className="text-xs font-medium text-indigo-700 underline-offset-2 hover:text-indigo-900 hover:underline">
                  {step.href.includes('#') ? `Go to the ${step.place}` : `Open the ${step.place}`}
                </Link>
              </div>
              {body !== null ? (
                <div id={`${toggleId(step.key)}-panel`} role="region" aria-labelledby={toggleId(step.key)} className="border-t border-slate-200 px-3 pb-4 pt-3 sm:px-4">
                  {INTRO[step.key] ? <p className="mb-4 text-sm text-slate-600">{INTRO[step.key]}</p> : null}
                  <div className={step.key === 'firstAnswer' ? undefined : 'max-w-2xl'}>{body}</div>
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
