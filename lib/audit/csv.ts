// The audit export's CSV (RFC 4180): every cell quoted; a cell a spreadsheet would read as a formula
// (= + - @, or a leading tab/CR) gets a leading apostrophe so it stays text (OWASP "CSV injection").
import type { AuditEventView } from './queries';

export const AUDIT_CSV_COLUMNS = ['time_utc', 'actor', 'action', 'target', 'event', 'details', 'ip'] as const;

export function csvCell(value: string | null): string {
  const text = value ?? '';
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvRow(cells: (string | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function auditCsvRow(e: AuditEventView): string {
  return csvRow([e.at, e.actorEmail ?? 'system', e.action, e.target, e.sentence, e.details.join('; '), e.ip]);
}
