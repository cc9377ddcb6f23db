'use client';

import { Switch as S } from 'radix-ui';
import type { ComponentProps } from 'react';
import { cn } from './cn';

/** An on/off switch (role="switch", Space toggles); give it an aria-label naming what it switches. */
export function Switch({ className, ...props }: ComponentProps<typeof S.Root>) {
  return (
    <S.Root
      className={cn('ui-switch', className)}
      {...props}
    >
      <S.Thumb className="pointer-events-none block h-5 w-5 translate-x-0.5 rounded-full bg-white shadow transition-transform data-[state=checked]:translate-x-[22px]" />
    </S.Root>
  );
}
