import type { ComponentProps } from 'react';
import { cn } from './cn';

// Table, TH and TD styles in app/globals.css (components layer).

/** `stack`: below the sm breakpoint every row becomes a card and every cell a labelled line (see globals.css). */
export function Table({ className, stack = false, ...props }: ComponentProps<'table'> & { stack?: boolean }) {
  return (
    // Focusable, so a keyboard user can scroll a table wider than the screen (the page itself never scrolls sideways).
    <div tabIndex={0} className={cn('overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm', stack && 'table-stack')}>
      <table className={cn('ui-table', className)} {...props} />
    </div>
  );
}
export const THead = (props: ComponentProps<'thead'>) => <thead className="bg-slate-50" {...props} />;
export const TBody = (props: ComponentProps<'tbody'>) => <tbody className="divide-y divide-slate-100" {...props} />;
export const TR = (props: ComponentProps<'tr'>) => <tr className="hover:bg-slate-50/60" {...props} />;
export function TH({ className, ...props }: ComponentProps<'th'>) {
  return <th scope="col" className={cn('ui-th', className)} {...props} />;
}
/** `label`: the column name shown before the cell in a stacked table; `actions`: the row's buttons (a card's footer). */
export function TD({ className, label, actions = false, ...props }: ComponentProps<'td'> & { label?: string; actions?: boolean }) {
  return <td data-label={label} data-actions={actions || undefined} className={cn('ui-td', className)} {...props} />;
}
