import { CopyButton } from './copy-button';

/**
 * A titled code sample with a copy button. Long lines scroll inside the box — never the page, and never
 * broken in the middle of a token someone will copy — and the box is focusable so a keyboard user can
 * scroll it too.
 */
export function CodeBlock({ code, label, testId }: { code: string; label: string; testId?: string }) {
  return (
    <div className="min-w-0">
      <div className="mb-2 flex items-center justify-between gap-2">
        <h3 className="text-sm font-medium text-slate-800">{label}</h3>
        <CopyButton value={code} label={label} />
      </div>
      <pre
        data-testid={testId}
        tabIndex={0}
        className="max-w-full overflow-x-auto whitespace-pre rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100"
      >
        <code>{code}</code>
      </pre>
    </div>
  );
}
