import type { ComponentProps } from 'react';
import { cn } from './cn';

// Styles in app/globals.css (components layer).
const tones = { neutral: 'ui-badge-neutral', info: 'ui-badge-info', warning: 'ui-badge-warning', danger: 'ui-badge-danger', success: 'ui-badge-success' } as const;

export function Badge({ tone = 'neutral', className, ...props }: ComponentProps<'span'> & { tone?: keyof typeof tones }) {
  return <span className={cn('ui-badge', tones[tone], className)} {...props} />;
}
