// The admin REST API described for tools (served at /api/admin/v1/openapi.json). Kept beside the handlers
// it describes; lib/admin-api/openapi.test.ts validates it and checks every route file is in it.
import { ADMIN_API_REQUESTS_PER_MINUTE, MAX_ADMIN_API_BODY_BYTES } from './limits';

const error = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message'],
      properties: {
        message: { type: 'string' },
        fieldErrors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
} as const;

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const refusals = {
  '401': errorResponse('No valid token: missing, malformed, unknown, revoked or expired.'),
  '403': errorResponse('The token lacks the scope this endpoint needs.'),
  '404': errorResponse("No such copilot or header for this token (a token of another copilot gets the same answer)."),
  '429': errorResponse(`More than ${ADMIN_API_REQUESTS_PER_MINUTE} requests per minute with this token (see Retry-After).`),
};
const writeRefusals = {
  ...refusals,
  '400': errorResponse('The body is not JSON.'),
  '409': errorResponse('Conflict: the header changed since expectedVersion, or there is no pending value (nothing changed).'),
  '413': errorResponse(`The body is larger than ${MAX_ADMIN_API_BODY_BYTES} bytes.`),
  '422': errorResponse('Invalid input: see fieldErrors (nothing changed).'),
};
const versionAnswer = {
  description: 'Done; the header is now at this version.',
  content: { 'application/json': { schema: { type: 'object', required: ['version'], properties: { version: { type: 'integer' } } } } },
};
const expectedVersion = { type: 'integer', minimum: 1, description: 'The version you last saw (from GET …/headers or the previous step).' };
const jsonBody = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const headerId = { name: 'headerId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const write = [{ bearerToken: [] }];

export const ADMIN_API_OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Copilot Headers admin API',
    version: '1',
    description:
      'Rotate the stored header values of one copilot from automation. Authenticate with an admin API token (Authorization: Bearer chat_…) created on the copilot\'s Runtime API tab. No endpoint ever returns a value: only masked previews.',
  },
  servers: [{ url: '/api/admin/v1' }],
  components: {
    securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: 'An admin API token (chat_…), bound to one copilot, with scopes.' } },
    schemas: {
      Error: error,
      Header: {
        type: 'object',
        required: ['id', 'name', 'kind', 'preview', 'version', 'rotatedAt', 'pending'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          name: { type: 'string' },
          kind: { type: 'string', enum: ['api_key', 'bearer', 'basic', 'custom'] },
          preview: { type: 'string', description: 'Masked: the last characters of the value at most.' },
          version: { type: 'integer' },
          rotatedAt: { type: 'string', format: 'date-time' },
          pending: {
            oneOf: [
              { type: 'null' },
              {
                type: 'object',
                required: ['preview', 'stagedAt', 'testStatus'],
                properties: { preview: { type: 'string' }, stagedAt: { type: 'string', format: 'date-time' }, testStatus: { type: ['integer', 'null'] } },
              },
            ],
          },
        },
      },
    },
  },
  security: write,
  paths: {
    '/copilots/{copilotId}/headers': {
      parameters: [{ name: 'copilotId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      get: {
        operationId: 'listHeaders',
        summary: 'List one environment\'s headers with masked previews (scope headers:read-previews)',
        parameters: [
          { name: 'environment', in: 'query', required: false, description: 'The environment: its id, name or slug. Default: Production.', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'The environment\'s headers, never a value.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['environment', 'headers'],
                  properties: {
                    environment: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } } },
                    headers: { type: 'array', items: { $ref: '#/components/schemas/Header' } },
                  },
                },
              },
            },
          },
          ...refusals,
        },
      },
    },
    '/copilots/{copilotId}/headers/{headerId}/pending': {
      parameters: [{ name: 'copilotId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, headerId],
      post: {
        operationId: 'stageValue',
        summary: 'Stage a new value (scope headers:write); the current one stays in use',
        description: 'Send `value` (API key and custom headers), `token` (bearer) or `username` and `password` (basic), with `expectedVersion`.',
        requestBody: jsonBody({
          type: 'object',
          required: ['expectedVersion'],
          properties: { expectedVersion, value: { type: 'string' }, token: { type: 'string' }, username: { type: 'string' }, password: { type: 'string' } },
        }),
        responses: { '200': versionAnswer, ...writeRefusals },
      },
      delete: {
        operationId: 'cancelPending',
        summary: 'Discard the staged value (scope headers:write)',
        requestBody: jsonBody({ type: 'object', required: ['expectedVersion'], properties: { expectedVersion } }),
        responses: { '200': versionAnswer, ...writeRefusals },
      },
    },
    '/copilots/{copilotId}/headers/{headerId}/pending/test': {
      parameters: [{ name: 'copilotId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, headerId],
      post: {
        operationId: 'testPending',
        summary: 'Send one request to your API with the staged value (scope headers:write)',
        description: 'Answers the status and, by name, which headers were sent. Not the response body.',
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: { type: 'object', properties: { method: { type: 'string', enum: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], default: 'GET' }, path: { type: 'string', default: '/' } } },
            },
          },
        },
        responses: {
          '200': {
            description: 'What happened: the API answered (outcome response, with its status) or the request failed (outcome error, with a code).',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['outcome', 'status'],
                  properties: {
                    outcome: { type: 'string', enum: ['response', 'error'] },
                    status: { type: ['integer', 'null'] },
                    pendingValueSent: { type: 'boolean' },
                    code: { type: 'string' },
                    message: { type: 'string' },
                    durationMs: { type: 'number' },
                    headerReport: { type: ['object', 'null'], description: 'Per header, by name: sent, overridden or not sent and why. Never a value.' },
                  },
                },
              },
            },
          },
          ...writeRefusals,
        },
      },
    },
    '/copilots/{copilotId}/headers/{headerId}/promote': {
      parameters: [{ name: 'copilotId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, headerId],
      post: {
        operationId: 'promotePending',
        summary: 'Make the staged value current (scope headers:write); runtimes reload',
        description:
          'Refused with 409 and error.code "confirm_anyway" when the staged value has not passed a test (its last test answer was not 2xx or 3xx, or it was never tested), unless `anyway` is true; the audit event then says so.',
        requestBody: jsonBody({ type: 'object', required: ['expectedVersion'], properties: { expectedVersion, anyway: { type: 'boolean', default: false } } }),
        responses: { '200': versionAnswer, ...writeRefusals },
      },
    },
    '/copilots/{copilotId}/headers/{headerId}/rollback': {
      parameters: [{ name: 'copilotId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, headerId],
      post: {
        operationId: 'rollback',
        summary: 'Make an earlier value current again (scope headers:write); runtimes reload',
        requestBody: jsonBody({ type: 'object', required: ['expectedVersion', 'toVersion'], properties: { expectedVersion, toVersion: { type: 'integer', minimum: 1 } } }),
        responses: { '200': versionAnswer, ...writeRefusals },
      },
    },
  },
} as const;
