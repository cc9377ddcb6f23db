/** "3 min ago", "2 h ago", "5 d ago", "in 6 d" — coarse on purpose, for tables. */
export function relativeTime(date: Date, now = Date.now()): string {
  const delta = Math.round((now - date.getTime()) / 1000);
  const seconds = Math.abs(delta);
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  const hours = Math.round(minutes / 60);
  const amount = minutes < 60 ? `${minutes} min` : hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} d`;
  return delta >= 0 ? `${amount} ago` : `in ${amount}`;
}

/** Minutes-precision UTC, rendered the same on server and client (no hydration drift). */
export function formatUtc(date: Date | null): string {
  return date ? `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC` : 'Never';
}
