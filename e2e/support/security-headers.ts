import type { BrowserContext, Response } from '@playwright/test';

/**
 * Watches every page of `context` for problems: each Content-Security-Policy violation Chromium reports
 * (the `securitypolicyviolation` event, and its console message), hydration errors, and every HTML page
 * answered without the security headers or with a script lacking the nonce. `problems()` waits for the
 * pages' checks still running and returns everything found so far.
 */
export async function watchSecurity(context: BrowserContext, { production = true } = {}): Promise<{ problems: () => Promise<string[]>; pages: string[] }> {
  const problems: string[] = [];
  const pending: Promise<unknown>[] = [];
  const pages: string[] = [];
  await context.exposeBinding('__reportCspViolation', (_source, text: string) => void problems.push(`CSP violation: ${text}`));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      report(`${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} on ${location.pathname} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  context.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame|evaluate)/i.test(text)) problems.push(`console ${message.type()}: ${text}`);
    else if (message.type() === 'error' && /hydrat/i.test(text)) problems.push(`hydration error: ${text}`);
  });
  context.on('response', (response) => {
    if (response.request().resourceType() !== 'document' || (response.status() !== 200 && response.status() !== 404)) return;
    pages.push(new URL(response.url()).pathname);
    pending.push(documentProblems(response, production).then((found) => problems.push(...found)));
  });
  return {
    pages,
    problems: async () => {
      await Promise.all(pending);
      return [...problems];
    },
  };
}

const REQUIRED: [string, RegExp][] = [
  ['x-content-type-options', /^nosniff$/],
  ['referrer-policy', /^same-origin$/],
  ['x-frame-options', /^DENY$/],
  ['permissions-policy', /camera=\(\).*microphone=\(\)/],
];

/** What is wrong with one HTML page's security headers, or []. */
export async function documentProblems(response: Response, production: boolean): Promise<string[]> {
  const where = new URL(response.url()).pathname;
  const headers = await response.allHeaders();
  const problems: string[] = [];
  for (const [name, pattern] of REQUIRED) {
    if (!pattern.test(headers[name] ?? '')) problems.push(`${where}: ${name} is ${JSON.stringify(headers[name] ?? null)}`);
  }
  const hsts = headers['strict-transport-security'] ?? '';
  if (production !== /max-age=\d{7,}/.test(hsts)) problems.push(`${where}: Strict-Transport-Security is ${JSON.stringify(hsts)} (production: ${production})`);

  const policy = headers['content-security-policy'] ?? '';
  const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]{20,})' 'strict-dynamic'/.exec(policy)?.[1];
  if (!nonce) return [...problems, `${where}: no nonce-based script-src in ${JSON.stringify(policy)}`];
  for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"]) {
    if (!policy.includes(directive)) problems.push(`${where}: the policy lacks ${directive}`);
  }
  const scriptSrc = /script-src [^;]*/.exec(policy)![0];
  if (scriptSrc.includes("'unsafe-inline'") || (production && scriptSrc.includes("'unsafe-eval'"))) problems.push(`${where}: ${scriptSrc}`);

  const html = await response.text().catch(() => '');
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  if (scripts.length === 0) problems.push(`${where}: no <script> tags in the HTML (did the page render?)`);
  for (const tag of scripts) if (!tag.includes(`nonce="${nonce}"`)) problems.push(`${where}: a script without this response's nonce: ${tag.slice(0, 100)}`);
  return problems;
}
