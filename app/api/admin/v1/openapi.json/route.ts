import { ADMIN_API_OPENAPI } from '@/lib/admin-api/openapi';

/** The admin API's OpenAPI 3.1 document: public, it holds no secret. */
export function GET(): Response {
  return Response.json(ADMIN_API_OPENAPI, { headers: { 'cache-control': 'no-store' } });
}
