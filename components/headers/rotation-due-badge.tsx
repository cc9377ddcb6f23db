'use client';

import { useSyncExternalStore } from 'react';
import { Badge } from '@/components/ui/badge';
import { relativeTime } from '@/components/ui/time';

const noSubscription = () => () => {};

/**
 * "rotate every N d", or "rotation overdue" once `due` has passed. The server render and the hydrating
 * render judge by the server's time (`serverNow`), so hydration always matches; every later render (after
 * mount, after a refresh) by this browser's clock, like the table's relative times.
 */
export function RotationDueBadge({ due, rotationDays, serverNow }: { due: Date; rotationDays: number; serverNow: Date }) {
  const mounted = useSyncExternalStore(noSubscription, () => true, () => false);
  const now = mounted ? new Date() : serverNow;
  return due.getTime() <= now.getTime() ? (
    <Badge tone="warning" className="whitespace-nowrap" data-testid="overdue-badge" title={`Rotate every ${rotationDays} days: due ${relativeTime(due, now.getTime())}`}>
      rotation overdue
    </Badge>
  ) : (
    <Badge tone="neutral" className="whitespace-nowrap" title={`Rotate every ${rotationDays} days`}>
      rotate every {rotationDays} d
    </Badge>
  );
}
