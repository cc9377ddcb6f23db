/** Minutes-precision UTC, rendered the same on server and client (no hydration drift). */
export function formatUtc(date: Date | null): string {
  return date ? `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC` : 'Never';
}
