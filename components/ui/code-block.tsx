import { CopyButton } from './copy-button';
import { cn } from './cn';

/**
 * A titled code sample with a copy button. `wrap` breaks long lines instead of scrolling (snippets people
 * copy on a phone). Either way the box scrolls on its own, never the page, and it is focusable so a
 * keyboard user can scroll it too.
 */
export function CodeBlock({ code, label, testId, wrap = false }: { code: string; label: string; testId?: string; wrap?: boolean }) {
  return (
    <div className="min-w-0">
      <div className="mb-2 flex items-center justify-between gap-2">
        <h3 className="text-sm font-medium text-slate-800">{label}</h3>
        <CopyButton value={code} label={label} />
      </div>
      <pre
        data-testid={testId}
        tabIndex={0}
        className={cn('max-w-full overflow-x-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100', wrap ? 'whitespace-pre-wrap break-all' : 'whitespace-pre')}
      >
        <code>{code}</code>
      </pre>
    </div>
  );
}
