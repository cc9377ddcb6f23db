import type { ComponentProps } from 'react';
import { cn } from './cn';

export function Table({ className, ...props }: ComponentProps<'table'>) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className={cn('min-w-full divide-y divide-slate-200 text-sm', className)} {...props} />
    </div>
  );
}
export const THead = (props: ComponentProps<'thead'>) => <thead className="bg-slate-50" {...props} />;
export const TBody = (props: ComponentProps<'tbody'>) => <tbody className="divide-y divide-slate-100" {...props} />;
export const TR = (props: ComponentProps<'tr'>) => <tr className="hover:bg-slate-50/60" {...props} />;
export function TH({ className, ...props }: ComponentProps<'th'>) {
  return <th scope="col" className={cn('px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500', className)} {...props} />;
}
export function TD({ className, ...props }: ComponentProps<'td'>) {
  return <td className={cn('px-4 py-3 align-middle text-slate-700', className)} {...props} />;
}
