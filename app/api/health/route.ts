import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';

/** Liveness for load balancers and the e2e web server: answers once the database is reachable. Public, says nothing else. */
export async function GET() {
  const db = await getDb();
  await db.execute(sql`select 1`);
  return Response.json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
}
