import { getDomain } from 'tldts';
import { WILDCARD_ORIGIN } from './origins';

/**
 * Why a wildcard origin can't be allowed, or null when it can (and for non-wildcards). Never a bare
 * `*`, never http, never a public suffix (`*.com`, `*.co.uk`, `*.github.io`: anyone could register a
 * site under it), never an address.
 */
export function wildcardOriginProblem(pattern: string): string | null {
  if (!pattern.includes('*')) return null;
  const match = WILDCARD_ORIGIN.exec(pattern);
  if (!match) return `${pattern.slice(0, 100)}: a wildcard is allowed only as the first label of an https host, e.g. https://*.example.com`;
  const base = match[1]!.toLowerCase();
  if (getDomain(base, { allowPrivateDomains: true }) === null) return `${pattern}: *.${base} would allow sites anyone can register (a public suffix); name your own domain, e.g. https://*.preview.example.com`;
  return null;
}
