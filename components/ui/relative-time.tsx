'use client';

import { useSyncExternalStore } from 'react';
import { cn } from './cn';
import { formatUtc, relativeTime } from './time';

const MINUTE = 60_000;

// One shared clock for every RelativeTime on the page, ticking once a minute while any is mounted.
let now: number | null = null;
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const l of listeners) l();
  }, MINUTE);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
      now = null;
    }
  };
}
const clientNow = () => (now ??= Date.now());
// The server render and the hydrating render both see null: both show the absolute time.
const serverNow = () => null;

/**
 * The one way the dashboard shows a moment: "3 min ago", with the exact UTC time on hover and focus
 * (title, and as the accessible name). The server and the first client render show the absolute time,
 * so hydration never compares two different clocks; the relative text appears after mount and stays
 * current once a minute.
 */
export function RelativeTime({ date, never = 'never', className }: { date: Date | string | null; never?: string; className?: string }) {
  const at = date === null ? null : typeof date === 'string' ? new Date(date) : date;
  const current = useSyncExternalStore(subscribe, clientNow, serverNow);
  if (!at) return <span className={className}>{never}</span>;
  const absolute = formatUtc(at);
  return (
    // Focusable, so keyboard users reach the exact time too (the tooltip is the title; screen readers read it as the description).
    <time dateTime={at.toISOString()} title={absolute} tabIndex={0} className={cn('ui-time', className)}>
      {current === null ? absolute : relativeTime(at, current)}
    </time>
  );
}
