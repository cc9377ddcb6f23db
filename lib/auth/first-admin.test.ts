import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { createFirstAdminAction } from './actions';
import { verifyPassword } from './password';
import { needsFirstAdmin } from './queries';

const input = (email: string) => ({ name: 'Ada', email, password: 'correct horse battery', confirmPassword: 'correct horse battery' });

describe('first admin account', () => {
  it('rejects bad input field by field and creates nothing', async () => {
    const result = await createFirstAdminAction({ name: '', email: 'nope', password: 'short', confirmPassword: 'other' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(['confirmPassword', 'email', 'name', 'password']);
    expect(await needsFirstAdmin()).toBe(true);
  });

  it('is created exactly once when two requests race for it', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => createFirstAdminAction(input(`racer${i}@example.test`))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) expect(r).toMatchObject({ message: expect.stringContaining('already has an admin') });
    const db = await getDb();
    const [row] = await db.select({ n: count() }).from(users);
    expect(Number(row!.n)).toBe(1);
  });

  it('is an instance admin', async () => {
    const db = await getDb();
    const [user] = await db.select({ instanceAdmin: users.instanceAdmin, disabledAt: users.disabledAt }).from(users);
    expect(user).toEqual({ instanceAdmin: true, disabledAt: null });
  });

  it('is refused once an account exists', async () => {
    expect(await needsFirstAdmin()).toBe(false);
    const result = await createFirstAdminAction(input('late@example.test'));
    expect(result).toMatchObject({ ok: false });
  });

  it('stores an scrypt hash that verifies, never the password', async () => {
    const db = await getDb();
    const [user] = await db.select({ hash: users.passwordHash }).from(users);
    expect(user!.hash).toMatch(/^scrypt\$65536\$8\$2\$/);
    expect(user!.hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', user!.hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', user!.hash)).toBe(false);
  });
});
