// Rotation reminders without zod: the headers table's badges use these on first load.

export const ROTATION_PRESETS = [30, 60, 90] as const;
export const MAX_ROTATION_DAYS = 3650;

/** When a header's value is due for rotation, or null without a reminder. */
export function rotationDueAt(header: { rotatedAt: Date; rotationDays: number | null }): Date | null {
  return header.rotationDays === null ? null : new Date(header.rotatedAt.getTime() + header.rotationDays * 24 * 3600 * 1000);
}
