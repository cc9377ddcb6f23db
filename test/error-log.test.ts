import { format } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { verifyCredentials } from '@/lib/auth/sign-in';
import { createCopilotAction } from '@/lib/copilots/actions';
import { createHeaderAction } from '@/lib/headers/actions';
import { actAs, createCopilot, createUser, type TestUser } from './factories';
import { captureConsole } from './fixtures/console-capture';

/** Everything written to the console (what Next and our own code print to the server log) while `work` runs. */
async function captureLog<T>(work: () => Promise<T>): Promise<{ value: T | undefined; thrown: unknown; log: string }> {
  const logged = captureConsole();
  try {
    return { value: await work(), thrown: undefined, log: logged.text() };
  } catch (thrown) {
    // What Next does with an error an action throws: it prints the whole object, cause and properties included.
    return { value: undefined, thrown, log: [...logged.lines, format(thrown)].join('\n') };
  } finally {
    logged.restore();
  }
}

let owner: TestUser;

beforeAll(async () => {
  owner = await createUser({ email: 'log-owner@example.test', instanceAdmin: true });
  const db = await getDb();
  // Constraints only this test's database has, so a database error happens where none is expected.
  await db.execute(sql.raw(`alter table copilots add constraint refuses_marker check (position('MARKER' in name) = 0)`));
  await db.execute(sql.raw(`alter table global_headers add constraint refuses_marker_header check (position('Marker' in name) = 0)`));
  await db.execute(sql.raw(`alter table rate_limits add constraint refuses_marker_key check (position('marker' in key) = 0)`));
});

afterEach(() => actAs(null));

describe('[no-data-in-error-logs] [no-value-stored-or-logged] (fixed: the server log printed a failed query\'s parameters): an unexpected database error is logged by name and code only', () => {
  it('createCopilotAction: the answer is a failure with a reference; the log has the reference, SQLSTATE and constraint, and no parameter', async () => {
    await actAs(owner);
    const { value, thrown, log } = await captureLog(() =>
      createCopilotAction({ name: 'MARKER copilot', apiBaseUrls: 'https://marker-host.example.com/v1', allowedOrigins: 'https://marker-origin.example.com' }),
    );
    expect(thrown).toBeUndefined();
    expect(value).toMatchObject({ ok: false, message: expect.stringMatching(/^Something went wrong on the server \(reference [0-9a-f]{8}\)/) });
    const reference = /reference ([0-9a-f]{8})/.exec(value!.ok ? '' : value!.message)![1]!;
    expect(log).toContain(`server action failed (reference ${reference})`);
    expect(log).toContain('23514');
    expect(log).toContain('constraint refuses_marker');
    for (const parameter of ['MARKER', 'marker-host', 'marker-origin', 'cpt_', 'params', 'insert into']) expect(log).not.toContain(parameter);
  });

  it('createHeaderAction: neither the header name nor the masked preview of the value reaches the log', async () => {
    await actAs(owner);
    const copilot = await createCopilot(owner, { name: 'Log check' });
    const secret = 'sk-live-secret-ending-in-Q7Zx';
    const { value, thrown, log } = await captureLog(() =>
      createHeaderAction({ copilotId: copilot.id, kind: 'api_key', name: 'X-Marker-Key', value: secret, allowWidgetOverride: false }),
    );
    expect(thrown).toBeUndefined();
    expect(value).toMatchObject({ ok: false });
    expect(log).toContain('constraint refuses_marker_header');
    for (const parameter of ['X-Marker-Key', 'Q7Zx', secret, 'params']) expect(log).not.toContain(parameter);
  });

  it('sign-in: the error handed to next-auth (which puts its message in the redirect URL) and the log carry no email', async () => {
    const db = await getDb();
    const { thrown, log } = await captureLog(() => verifyCredentials(db, 'marker.person@example.test', 'a password', '198.51.100.77'));
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(/^unavailable:[0-9a-f]{8}$/);
    expect(log).toContain('sign-in failed (reference');
    for (const parameter of ['marker.person', '198.51.100.77', 'a password', 'params']) expect(log).not.toContain(parameter);
  });
});
