import 'server-only';
import { count } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';

/** True until the first account exists: the app then offers "Create the first admin account". */
export async function needsFirstAdmin(): Promise<boolean> {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(users);
  return Number(row?.n ?? 0) === 0;
}
