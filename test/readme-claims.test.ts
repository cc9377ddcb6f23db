// What the README promises about the rules a user meets is what the app does: a person who reads it before
// typing a URL should not be contradicted by the form.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plainHttpProblem } from '@/core/upstream/network-policy';
import { normaliseBaseUrl, normaliseOrigin } from '@/lib/copilots/schema';

const copilotsRow = readFileSync('README.md', 'utf8')
  .split('\n')
  .find((line) => line.startsWith('| Copilots |'))!;

describe('README claims', () => {
  it('plain http for API base URLs: only to hosts the operator lists in RUNTIME_PRIVATE_HOSTS, as the README says (fixed: it said "http only for localhost", and the app refused http://localhost)', () => {
    const local = new URL('http://localhost:8080/v1');
    expect(normaliseBaseUrl(local.href).problem).toBeUndefined();
    expect(plainHttpProblem(local, { privateHosts: [] })).toMatch(/RUNTIME_PRIVATE_HOSTS/);
    expect(plainHttpProblem(local, { privateHosts: ['localhost:8080'] })).toBeNull();
    expect(copilotsRow).toContain('plain http only to hosts the operator lists in `RUNTIME_PRIVATE_HOSTS`');
    expect(copilotsRow).not.toContain('http only for localhost');
  });

  it('widget origins: https, or http on localhost, as the README says', () => {
    expect(normaliseOrigin('http://localhost:5173').problem).toBeUndefined();
    expect(normaliseOrigin('http://shop.example').problem).toMatch(/must use https/);
    expect(copilotsRow).toContain('(https, or http on localhost;');
  });
});
