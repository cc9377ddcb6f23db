import { Slot } from 'radix-ui';
import type { ComponentProps } from 'react';
import { cn } from './cn';

// Styles in app/globals.css (components layer).
const variants = { primary: 'ui-button-primary', secondary: 'ui-button-secondary', danger: 'ui-button-danger', ghost: 'ui-button-ghost' } as const;
const sizes = { sm: 'ui-button-sm', md: 'ui-button-md', icon: 'ui-button-icon' } as const;

export type ButtonProps = ComponentProps<'button'> & {
  variant?: keyof typeof variants;
  size?: keyof typeof sizes;
  asChild?: boolean;
  pending?: boolean;
};

export function Button({ variant = 'primary', size = 'md', asChild, pending, className, disabled, children, ...props }: ButtonProps) {
  const Comp = asChild ? Slot.Root : 'button';
  return (
    <Comp
      className={cn('ui-button', variants[variant], sizes[size], className)}
      disabled={asChild ? undefined : disabled || pending}
      aria-busy={pending || undefined}
      {...props}
    >
      {asChild ? (
        children
      ) : (
        <>
          {pending ? <span className="h-3.5 w-3.5 animate-spin rounded-full border-2 border-current border-r-transparent" aria-hidden /> : null}
          {children}
        </>
      )}
    </Comp>
  );
}
