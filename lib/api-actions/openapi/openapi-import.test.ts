import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '@/test/fixtures/test-servers';
import { importOpenApiDocument } from './openapi-import';
import { MAX_TOOL_SCHEMA_BYTES } from './openapi-limits';

const BASES = ['https://api.example.com/v1'];

const ORDERS_YAML = `
openapi: 3.0.3
info: { title: Orders, version: "2.1" }
servers:
  - url: https://api.example.com/v1
paths:
  /orders/{id}:
    parameters:
      - { name: id, in: path, required: true, schema: { type: string } }
    get:
      operationId: getOrder
      summary: Get an order
      parameters:
        - { name: expand, in: query, schema: { type: string, enum: [items] } }
        - { name: X-API-Key, in: header, schema: { type: string } }
      responses: { "200": { description: ok } }
  /orders:
    post:
      summary: Create an order
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/NewOrder' }
      responses: { "201": { description: created } }
components:
  schemas:
    NewOrder:
      type: object
      required: [sku]
      properties:
        sku: { type: string, description: Stock keeping unit }
        qty: { type: integer, minimum: 1, nullable: true }
        id: { type: string, readOnly: true }
        parent: { $ref: '#/components/schemas/NewOrder' }
`;

describe('OpenAPI import', () => {
  it('reads a 3.0 YAML document: operations, dereferenced JSON Schema inputs, no header parameters', async () => {
    const result = await importOpenApiDocument(ORDERS_YAML, { apiBaseUrls: BASES });
    if (!result.ok) throw new Error(result.message);
    expect(result).toMatchObject({ title: 'Orders', documentVersion: '2.1', openapiVersion: '3.0.3' });
    expect(result.operations.map((o) => [o.toolName, o.method, o.path, o.serverUrl])).toEqual([
      ['getOrder', 'GET', '/orders/{id}', 'https://api.example.com/v1'],
      ['post_orders', 'POST', '/orders', 'https://api.example.com/v1'],
    ]);
    const [get, post] = result.operations;
    expect(get!.parameters).toEqual([{ name: 'id', in: 'path' }, { name: 'expand', in: 'query' }]);
    expect(get!.inputSchema).toEqual({
      type: 'object',
      properties: {
        path: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        query: { type: 'object', properties: { expand: { type: 'string', enum: ['items'] } } },
      },
      required: ['path'],
    });
    const body = (post!.inputSchema.properties as Record<string, Record<string, unknown>>).body!;
    expect(post!.hasBody).toBe(true);
    expect(post!.inputSchema.required).toEqual(['body']);
    expect(Object.keys(body.properties as object)).toEqual(['sku', 'qty', 'parent']);
    expect((body.properties as Record<string, unknown>).qty).toEqual({ type: ['integer', 'null'], minimum: 1 });
    expect(result.warnings.join(' ')).toMatch(/Header and cookie parameters \(X-API-Key\)/);
  });

  it('reads a 3.1 JSON document; relative servers resolve against the first API base URL', async () => {
    const doc = { openapi: '3.1.0', info: { title: 'Shop', version: '1' }, servers: [{ url: '/v1/shop' }], paths: { '/items': { get: { operationId: 'list items!', responses: { '200': { description: 'ok' } } } } } };
    const result = await importOpenApiDocument(JSON.stringify(doc), { apiBaseUrls: BASES });
    if (!result.ok) throw new Error(result.message);
    expect(result.operations[0]).toMatchObject({ toolName: 'list_items', serverUrl: 'https://api.example.com/v1/shop', inputSchema: { type: 'object', properties: {} } });
  });

  it.each([
    ['a document-level server', { servers: [{ url: 'https://evil.example.com/v1' }] }, {}],
    ['a second document-level server', { servers: [{ url: 'https://api.example.com/v1' }, { url: 'https://staging.example.net' }] }, {}],
    ['a relative server outside the base path', { servers: [{ url: '/admin' }] }, {}],
    ['an operation-level server', {}, { servers: [{ url: 'http://169.254.169.254/latest' }] }],
  ])('servers outside the API base URLs are refused at import: %s', async (_name, docExtra, opExtra) => {
    const doc = { openapi: '3.0.3', info: { title: 'x', version: '1' }, ...docExtra, paths: { '/a': { get: { responses: { '200': { description: 'ok' } }, ...opExtra } } } };
    const result = await importOpenApiDocument(JSON.stringify(doc), { apiBaseUrls: BASES });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(/servers must be under this copilot's API base URLs \(https:\/\/api\.example\.com\/v1\)/);
    expect(result.details?.[0]).toMatch(/^Outside the API base URLs: /);
  });

  it.each([
    ['Swagger 2.0', '{"swagger":"2.0","info":{"title":"x","version":"1"},"paths":{}}', /Only OpenAPI 3\.0 and 3\.1 .* Swagger 2\.0/],
    ['not YAML', 'openapi: 3.0.0\n  info: [unclosed', /not valid JSON or YAML \(line \d+, column \d+\)/],
    ['an invalid document', '{"openapi":"3.0.3","info":{"title":"x"},"paths":{"/a":{"get":{}}}}', /not a valid OpenAPI document/],
    ['no operations', '{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{}}', /no operations/],
    ['too large', `{"openapi":"3.0.3","x":"${'a'.repeat(1024 * 1024)}"}`, /at most 1024 KiB/],
  ])('refuses %s with a clear message', async (_name, source, message) => {
    const result = await importOpenApiDocument(source, { apiBaseUrls: BASES });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('[text-input-checked] (fixed: control characters reached PostgreSQL): a document with a control character anywhere is refused; invisible formatting is stripped from what admins read', async () => {
    const doc = (summary: string, path = '/a') => JSON.stringify({ openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: { [path]: { get: { summary, responses: { '200': { description: 'ok' } } } } } });
    for (const char of ['\u0000', '\u001b', '\u0085']) {
      const result = await importOpenApiDocument(doc(`Get${char}it`), { apiBaseUrls: BASES });
      expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/contains a control character \(U\+00/) });
    }
    const bidi = await importOpenApiDocument(doc('Delete \u202eeverything'), { apiBaseUrls: BASES });
    if (!bidi.ok) throw new Error(bidi.message);
    expect(bidi.operations[0]!.summary).toBe('Delete everything');
    const hiddenPath = await importOpenApiDocument(doc('x', '/orders/\u200bmine').replace('"/orders', '"/ok":{"get":{"responses":{"200":{"description":"ok"}}}},"/orders'), { apiBaseUrls: BASES });
    if (!hiddenPath.ok) throw new Error(hiddenPath.message);
    expect(hiddenPath.operations.map((o) => o.path)).toEqual(['/ok']);
    expect(hiddenPath.warnings).toContain('A path with spaces or invisible characters was skipped.');
  });

  describe('external references are never fetched', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer();
    });
    afterAll(() => server.close());

    it('an http or file $ref is left alone: no request, no file read', async () => {
      const doc = {
        openapi: '3.0.3',
        info: { title: 'x', version: '1' },
        paths: {
          '/a': {
            post: {
              requestBody: { content: { 'application/json': { schema: { $ref: `${server.origin}/schema.json` } } } },
              responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: 'file:///etc/passwd' } } } } },
            },
          },
        },
      };
      const result = await importOpenApiDocument(JSON.stringify(doc), { apiBaseUrls: BASES });
      expect(server.requests).toEqual([]);
      if (result.ok) expect(JSON.stringify(result.operations)).not.toContain('root:');
    });
  });

  it('a huge shared schema is bounded in size', async () => {
    const wide = { type: 'object', properties: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`field${i}`, { type: 'string', description: 'd'.repeat(300) }])) };
    const doc = {
      openapi: '3.1.0',
      info: { title: 'x', version: '1' },
      components: { schemas: { Wide: wide, Deep: { type: 'object', properties: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`w${i}`, { $ref: '#/components/schemas/Wide' }])) } } },
      paths: { '/a': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Deep' } } } }, responses: { '200': { description: 'ok' } } } } },
    };
    const result = await importOpenApiDocument(JSON.stringify(doc), { apiBaseUrls: BASES });
    if (!result.ok) throw new Error(result.message);
    expect(JSON.stringify(result.operations[0]!.inputSchema).length).toBeLessThanOrEqual(MAX_TOOL_SCHEMA_BYTES);
    expect(result.warnings.join(' ')).toMatch(/simplified/);
  });
});
