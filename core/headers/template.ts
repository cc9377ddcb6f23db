// Templated dashboard headers (docs/widget.md, "Headers from verified claims"): a value such as
// `{{user.id}}` or `tenant-{{user.id}}` is filled per turn from a VERIFIED user (a sealed session) and
// never from raw browser input. Everywhere else — relay, proxy, the test request, an unverified turn — a
// templated header is not sent at all (core/upstream/prepared.ts leaves it out).

export type TemplateUser = { id: string; name?: string; email?: string };

const ANY_BRACES = /\{\{|\}\}/;
const PLACEHOLDER = /\{\{\s*user\.([a-z]+)\s*\}\}/g;
const KNOWN_ONLY = /^(?:[^{}]|\{\{\s*user\.(?:id|name|email)\s*\}\})*$/;

/** Whether a stored value is a template (holds at least one `{{user.…}}` placeholder). */
export function isTemplated(value: string): boolean {
  PLACEHOLDER.lastIndex = 0;
  return PLACEHOLDER.test(value);
}

/** The problem with a value that uses template braces, or null (no braces, or only known placeholders). */
export function templateProblem(value: string): string | null {
  if (!ANY_BRACES.test(value)) return null;
  if (!KNOWN_ONLY.test(value)) return 'A template may use only {{user.id}}, {{user.name}} and {{user.email}} (and no other braces)';
  return null;
}

/** The value with the verified user's fields filled in; null when a field it uses is missing (the header is then not sent). */
export function fillTemplate(value: string, user: TemplateUser): string | null {
  let missing = false;
  const filled = value.replace(PLACEHOLDER, (_match, field: string) => {
    const got = field === 'id' ? user.id : field === 'name' ? user.name : field === 'email' ? user.email : undefined;
    if (got === undefined || got === '') missing = true;
    return got ?? '';
  });
  return missing ? null : filled;
}
