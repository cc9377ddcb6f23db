/** "3 min ago", "2 h ago", "5 d ago" — coarse on purpose, for tables. */
export function relativeTime(date: Date, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/** Minutes-precision UTC, rendered the same on server and client (no hydration drift). */
export function formatUtc(date: Date | null): string {
  return date ? `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC` : 'Never';
}
