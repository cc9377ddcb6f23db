import type { ComponentProps } from 'react';
import { cn } from './cn';

/** A native select: keyboard and screen-reader behaviour for free, styled to match the inputs. */
export function Select({ className, ...props }: ComponentProps<'select'>) {
  return (
    <select className={cn('ui-select', className)} {...props} />
  );
}
