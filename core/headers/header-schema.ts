// A copilot's header schema (docs/widget.md, "Header schema"): the per-user header names it accepts from the
// page or a sealed session. Empty: any name, as before. Otherwise unknown names are dropped (and named in
// the turn's diagnostics), and a missing required header or a value failing its pattern or length refuses
// the turn — the reason names the header, never the value.
import { matchesHeaderPattern, parseHeaderPattern, type HeaderPattern } from './header-pattern';

/** One declared header, as stored (copilots.header_schema) and edited on the General tab. */
export type HeaderSchemaEntry = { name: string; required: boolean; pattern: string | null; maxLength: number | null; description: string };

type CompiledEntry = HeaderSchemaEntry & { lower: string; compiled: HeaderPattern | null };
export type CompiledHeaderSchema = readonly CompiledEntry[];

/** Compiled once per runtime configuration. A stored pattern outside the subset (saved by hand) matches nothing. */
export function compileHeaderSchema(entries: readonly HeaderSchemaEntry[]): CompiledHeaderSchema {
  return entries.map((entry) => {
    const parsed = entry.pattern ? parseHeaderPattern(entry.pattern) : null;
    return { ...entry, lower: entry.name.toLowerCase(), compiled: parsed?.ok ? parsed.pattern : parsed ? { segments: [{ test: () => false, min: 1, max: 1 }] } : null };
  });
}

export type HeaderSchemaRefusal = { header: string; reason: 'missing' | 'too_long' | 'pattern' };

export type HeaderSchemaResult = { ok: true; headers: Record<string, string>; dropped: string[] } | ({ ok: false } & HeaderSchemaRefusal);

/** Applies the schema to one turn's per-user headers (names compared case-insensitively). */
export function applyHeaderSchema(schema: CompiledHeaderSchema, headers: Readonly<Record<string, string>> | undefined): HeaderSchemaResult {
  const given = Object.entries(headers ?? {});
  if (schema.length === 0) return { ok: true, headers: Object.fromEntries(given), dropped: [] };
  const byName = new Map(schema.map((entry) => [entry.lower, entry]));
  const kept: [string, string][] = [];
  const dropped: string[] = [];
  for (const [name, value] of given) {
    const entry = byName.get(name.toLowerCase());
    if (!entry) {
      dropped.push(name);
      continue;
    }
    if (entry.maxLength !== null && value.length > entry.maxLength) return { ok: false, header: entry.name, reason: 'too_long' };
    if (entry.compiled && !matchesHeaderPattern(entry.compiled, value)) return { ok: false, header: entry.name, reason: 'pattern' };
    kept.push([name, value]);
  }
  const present = new Set(kept.map(([name]) => name.toLowerCase()));
  const missing = schema.find((entry) => entry.required && !present.has(entry.lower));
  if (missing) return { ok: false, header: missing.name, reason: 'missing' };
  return { ok: true, headers: Object.fromEntries(kept), dropped };
}

/** The refusal as a sentence for the page: names the header and what is wrong, never the value. */
export function headerSchemaMessage({ header, reason }: HeaderSchemaRefusal): string {
  if (reason === 'missing') return `This assistant needs the header ${header}: the page (or its session) did not send it.`;
  if (reason === 'too_long') return `The header ${header} is longer than this assistant accepts.`;
  return `The header ${header} does not have the form this assistant accepts.`;
}
