import type { ComponentProps } from 'react';
import { cn } from './cn';

/** A native select: keyboard and screen-reader behaviour for free, styled to match the inputs. */
export function Select({ className, ...props }: ComponentProps<'select'>) {
  return (
    <select
      className={cn(
        'block h-10 w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 aria-invalid:border-red-500',
        className,
      )}
      {...props}
    />
  );
}
