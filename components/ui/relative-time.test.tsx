import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RelativeTime } from './relative-time';
import { relativeTime } from './time';

describe('one time format', () => {
  const at = new Date('2026-03-04T05:06:07.000Z');

  it('the server render (and so the hydrating render) is the absolute time, the same whatever the clock says: no hydration mismatch', () => {
    const html = renderToString(createElement(RelativeTime, { date: at }));
    expect(html).toContain('2026-03-04 05:06 UTC</time>');
    expect(html).toContain('dateTime="2026-03-04T05:06:07.000Z"');
    expect(html).toContain('title="2026-03-04 05:06 UTC"');
    expect(html).not.toContain('ago');
    expect(renderToString(createElement(RelativeTime, { date: null, never: 'not used yet' }))).toContain('not used yet');
  });

  it('relative text for the past and the future, coarse on purpose', () => {
    const now = at.getTime();
    expect(relativeTime(new Date(now - 30_000), now)).toBe('just now');
    expect(relativeTime(new Date(now - 4 * 60_000), now)).toBe('4 min ago');
    expect(relativeTime(new Date(now - 3 * 3_600_000), now)).toBe('3 h ago');
    expect(relativeTime(new Date(now - 5 * 86_400_000), now)).toBe('5 d ago');
    expect(relativeTime(new Date(now + 6 * 86_400_000), now)).toBe('in 6 d');
  });
});
