// Bulk add: `.env`-style lines or a JSON object of headers, parsed into entries and per-line problems.
// Pure (the dialog and the server action share it). A message never quotes a value, nor a "name" that
// failed the header-name rule (a pasted line without `=` may be a bare secret).
import { z } from 'zod';
import { headerNameProblem, headerValueProblem, MAX_HEADERS_PER_ENVIRONMENT, type HeaderKind } from './schema';

export const MAX_BULK_TEXT_BYTES = 64 * 1024;

export type BulkEntry = { line: number; name: string; kind: HeaderKind; value: string };
export type BulkProblem = { line: number | null; message: string };
export type BulkParse = { entries: BulkEntry[]; problems: BulkProblem[] };

const BEARER = /^bearer[ \t]+/i;
const API_KEY_NAME = /(^|[-_])(api[-_]?key|key)$/i;

/** Bearer when the value says so; API key when the name says so; otherwise a custom header. Values are stored as pasted. */
function classify(name: string, rawValue: string): { kind: HeaderKind; value: string } {
  if (BEARER.test(rawValue)) return { kind: 'bearer', value: `Bearer ${rawValue.replace(BEARER, '')}` };
  return { kind: API_KEY_NAME.test(name) ? 'api_key' : 'custom', value: rawValue };
}

function valueProblem(kind: HeaderKind, value: string): string | null {
  if (kind === 'bearer') {
    const token = value.slice('Bearer '.length);
    if (token === '') return 'Enter the token after "Bearer "';
    if (/[ \t]/.test(token)) return "Tokens can't contain spaces or tabs";
  }
  return headerValueProblem(value);
}

/** `"…"` or `'…'` around a value are removed; an unquoted value loses a trailing ` # comment`, as in dotenv. */
function unquote(raw: string): { value: string } | { problem: string } {
  const text = raw.trim();
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    if (text.length < 2 || !text.endsWith(quote)) return { problem: `the value starts with ${quote} but does not end with it` };
    return { value: text.slice(1, -1) };
  }
  return { value: text.replace(/[ \t]+#.*$/, '') };
}

type Row = { line: number; name: string; value: string; label: string };
/** What could be read, and what could not: both, so the person sees every problem of a paste at once. */
type Rows = { rows: Row[]; problems: BulkProblem[] };

function parseEnvLines(text: string): Rows {
  const rows: Row[] = [];
  const problems: BulkProblem[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const body = trimmed.replace(/^export[ \t]+/, '');
    // Header names can contain neither = nor :, so the first of them ends the name.
    const split = body.search(/[=:]/);
    if (split <= 0) {
      problems.push({ line, message: `Line ${line}: expected NAME=value (or Name: value)` });
      return;
    }
    const unquoted = unquote(body.slice(split + 1));
    if ('problem' in unquoted) problems.push({ line, message: `Line ${line}: ${unquoted.problem}` });
    else rows.push({ line, name: body.slice(0, split).trim(), value: unquoted.value, label: `Line ${line}` });
  });
  return { rows, problems };
}

/** A JSON entry is named by its key when the key is a valid header name (never otherwise: it may be a pasted secret). */
function entryLabel(name: string, index: number): string {
  return headerNameProblem(name.trim()) ? `Entry ${index + 1}` : `"${name.trim()}"`;
}

function parseJsonObject(text: string): Rows {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // The parser's own message quotes the text around the error, which may be a secret.
    return { rows: [], problems: [{ line: null, message: 'This is not valid JSON: check the quotes, commas and braces' }] };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { rows: [], problems: [{ line: null, message: 'Paste a JSON object like {"X-API-Key": "…"}' }] };
  const rows: Row[] = [];
  const problems: BulkProblem[] = [];
  Object.entries(data).forEach(([name, value], index) => {
    const label = entryLabel(name, index);
    if (typeof value !== 'string') problems.push({ line: index + 1, message: `${label}: the value must be a string` });
    else rows.push({ line: index + 1, name, value, label });
  });
  return { rows, problems };
}

/**
 * Parses and checks everything that does not need the database: syntax, names, values, duplicates
 * within the paste. `existingNames` (lower case) and `room` add the copilot's own limits when given.
 */
export function parseBulkHeaders(text: string, { existingNames = new Set<string>(), room = MAX_HEADERS_PER_ENVIRONMENT }: { existingNames?: ReadonlySet<string>; room?: number } = {}): BulkParse {
  const trimmed = text.trim();
  if (trimmed === '') return { entries: [], problems: [{ line: null, message: 'Paste at least one header' }] };
  const parsed = trimmed.startsWith('{') ? parseJsonObject(trimmed) : parseEnvLines(text);
  const labels = new Map(parsed.rows.map((row) => [row.line, row.label]));

  const entries: BulkEntry[] = [];
  const problems: BulkProblem[] = [...parsed.problems];
  const seen = new Map<string, number>();
  for (const row of parsed.rows) {
    const name = row.name.trim();
    const nameProblem = headerNameProblem(name);
    if (nameProblem) {
      problems.push({ line: row.line, message: `${row.label}: ${nameProblem}` });
      continue;
    }
    const { kind, value } = classify(name, row.value);
    const problem = valueProblem(kind, value);
    const key = name.toLowerCase();
    const where = row.label.startsWith('"') ? row.label : `${row.label} (${name})`;
    if (problem) problems.push({ line: row.line, message: `${where}: ${problem}` });
    else if (seen.has(key)) problems.push({ line: row.line, message: `${row.label}: ${name} is already on ${labels.get(seen.get(key)!)!.replace(/^Line/, 'line').replace(/^Entry/, 'entry')} (names are case-insensitive)` });
    else if (existingNames.has(key)) problems.push({ line: row.line, message: `${row.label}: this copilot already has a header named ${name}` });
    else entries.push({ line: row.line, name, kind, value });
    if (!seen.has(key)) seen.set(key, row.line);
  }
  // In the order of the paste; problems without a line (the whole paste) first.
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (entries.length > room) {
    problems.push({ line: null, message: `That is ${entries.length} new headers, but this environment has room for ${room} more (at most ${MAX_HEADERS_PER_ENVIRONMENT})` });
  }
  return { entries, problems };
}

export const bulkHeadersSchema = z.object({
  copilotId: z.uuid({ error: 'Invalid id' }),
  /** The environment the headers go to; none: Production. */
  environmentId: z.uuid({ error: 'Invalid id' }).optional(),
  text: z.string().refine((t) => new TextEncoder().encode(t).length <= MAX_BULK_TEXT_BYTES, { error: `Paste at most ${MAX_BULK_TEXT_BYTES / 1024} KiB at once` }),
  allowWidgetOverride: z.boolean().optional().default(false),
});

/** What the preview shows for one header: never the value, only its masked preview. */
export type BulkPreviewItem = { line: number; name: string; kind: HeaderKind; preview: string };
export type BulkPreview = { items: BulkPreviewItem[]; problems: BulkProblem[] };
