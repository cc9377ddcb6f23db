import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { dumpPostgres } from '../support/database-dump';

/** The build's id for an exported server action, as the browser would send it in `Next-Action`. */
function actionId(name: string): string {
  const manifest = JSON.parse(readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as { node: Record<string, { exportedName?: string }> };
  const id = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === name)?.[0];
  if (!id) throw new Error(`no server action named ${name} in this build`);
  return id;
}

const HUGE = 'a'.repeat(1024 * 1024 + 1);

test('[malformed-actions-refused]: server actions called with bodies Next cannot decode get a 4xx each (not a 500) and the database is unchanged', async ({ request }) => {
  const before = await dumpPostgres();
  const targets = [
    { page: '/reset-password/not-a-token', action: actionId('resetPasswordAction') },
    { page: '/invite/not-a-token', action: actionId('createAccountFromInvitationAction') },
  ];
  const bodies: Array<[string, string | undefined, string, number]> = [
    ['text that is not JSON', 'text/plain;charset=UTF-8', 'garbage{', 400],
    ['JSON that is not an argument list', 'text/plain;charset=UTF-8', '5', 400],
    ['an empty body', 'text/plain;charset=UTF-8', '', 400],
    ['a foreign content type', 'application/json', '[1', 415],
    ['multipart that is not multipart', 'multipart/form-data; boundary=xyz', 'not multipart at all', 400],
    ['multipart without a boundary', 'multipart/form-data', 'x', 400],
    ['a body over the size limit', 'text/plain;charset=UTF-8', HUGE, 413],
  ];
  for (const { page, action } of targets) {
    for (const [what, contentType, data, status] of bodies) {
      const headers: Record<string, string> = { 'next-action': action, ...(contentType ? { 'content-type': contentType } : {}) };
      const response = await request.post(page, { headers, data, maxRedirects: 0 });
      expect({ page, what, status: response.status() }).toEqual({ page, what, status });
    }
    // A broken form posted to the page without the header: Next would try to decode it as a form action.
    const form = await request.post(page, { headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, data: 'not multipart', maxRedirects: 0 });
    expect({ page, status: form.status() }).toEqual({ page, status: 400 });
    // A well-formed call still reaches the action, which answers with its own refusal.
    const wellFormed = await request.post(page, { headers: { 'next-action': action, 'content-type': 'text/plain;charset=UTF-8' }, data: '[{}]', maxRedirects: 0 });
    expect(wellFormed.status()).toBe(200);
    expect(await wellFormed.text()).toContain('"ok":false');
  }
  // On PostgreSQL the whole database is read before and after; PGlite belongs to the server process.
  if (before) expect(await dumpPostgres()).toEqual(before);
});
