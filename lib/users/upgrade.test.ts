import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { createUser } from '@/test/factories';

const BACKFILL = readFileSync(path.resolve('db/migrations/0005_first_account_is_instance_admin.sql'), 'utf8');

describe('upgrading an install from before instance roles', () => {
  it('makes the oldest account the instance admin, once, and leaves an instance that already has one alone', async () => {
    const db = await getDb();
    const first = await createUser({ email: 'first@example.test' });
    await db.execute(sql`update users set created_at = now() - interval '1 day' where id = ${first.id}`);
    await createUser({ email: 'second@example.test' });
    await db.execute(sql.raw(BACKFILL));
    const admins = async () => (await db.select({ email: users.email, instanceAdmin: users.instanceAdmin }).from(users)).filter((u) => u.instanceAdmin).map((u) => u.email);
    expect(await admins()).toEqual(['first@example.test']);

    await db.execute(sql`update users set instance_admin = (email = 'second@example.test')`);
    await db.execute(sql.raw(BACKFILL));
    expect(await admins()).toEqual(['second@example.test']);
  });
});
