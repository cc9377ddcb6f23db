import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { GET } from '@/app/api/admin/v1/openapi.json/route';
import { ADMIN_API_OPENAPI } from './openapi';

const ROUTES = join(process.cwd(), 'app/api/admin/v1/copilots');

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? routeFiles(join(dir, e.name)) : e.name === 'route.ts' ? [join(dir, e.name)] : []));
}

describe('[ADMIN-API] OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document and is served at /api/admin/v1/openapi.json', async () => {
    const result = await validate(structuredClone(ADMIN_API_OPENAPI) as never);
    expect(result.valid ? [] : result.errors.map((e) => e.message)).toEqual([]);
    const served = GET();
    expect(served.headers.get('cache-control')).toBe('no-store');
    expect(await served.json()).toEqual(JSON.parse(JSON.stringify(ADMIN_API_OPENAPI)));
  });

  it('describes every admin API route file', () => {
    const described = Object.keys(ADMIN_API_OPENAPI.paths).sort();
    const files = routeFiles(ROUTES).map((f) => `/copilots/${relative(ROUTES, f).split(sep).slice(0, -1).join('/')}`.replace(/\[(\w+)\]/g, '{$1}')).sort();
    expect(files).toEqual(described);
  });
});
