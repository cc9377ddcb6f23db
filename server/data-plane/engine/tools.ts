import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import type { UpstreamRequest } from '@/core/upstream/types';
import type { ToolOperation } from '@/core/operations/tool-operation';

const MAX_TOOL_DESCRIPTION_CHARS = 1_024;

/** Enabled operations as the model sees them: name, what it does, and its inputs as JSON Schema. */
export function toolDefinitions(operations: readonly ToolOperation[]): ChatCompletionTool[] {
  return operations.map((op) => {
    const about = [op.summary, op.description].filter(Boolean).join('\n');
    return {
      type: 'function',
      function: {
        name: op.toolName,
        description: `${op.method} ${op.path}${about ? `: ${about}` : ''}`.slice(0, MAX_TOOL_DESCRIPTION_CHARS),
        parameters: op.inputSchema,
      },
    };
  });
}

/** The arguments a request was built from — exactly those, nothing the model added beside them. */
export type ToolParameters = { path?: Record<string, Scalar>; query?: Record<string, Scalar | Scalar[]>; body?: unknown };

export type ToolRequest = { ok: true; request: UpstreamRequest; displayPath: string; parameters: ToolParameters } | { ok: false; message: string };

type Scalar = string | number | boolean;

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean';
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Turns the model's arguments (`{ path?, query?, body? }`, a JSON string) into a request for
 * callUpstream. Every path parameter is percent-encoded as one segment, so a model-supplied
 * `../admin` becomes `..%2Fadmin` (which the destination check then refuses) and never leaves its
 * segment; `..` alone stays a dot segment, which the destination check refuses too.
 */
export function buildToolRequest(op: ToolOperation, rawArguments: string): ToolRequest {
  let args: Record<string, unknown>;
  try {
    args = asRecord(rawArguments.trim() ? JSON.parse(rawArguments) : {});
  } catch {
    return { ok: false, message: 'The arguments are not valid JSON.' };
  }
  const pathArgs = asRecord(args.path);
  const queryArgs = asRecord(args.query);

  const parameters: ToolParameters = {};
  let path = op.path;
  for (const param of op.parameters) {
    if (param.in !== 'path') continue;
    const value = pathArgs[param.name];
    if (!isScalar(value) || String(value) === '') return { ok: false, message: `The path parameter "${param.name}" is required (a string or number).` };
    path = path.split(`{${param.name}}`).join(encodeURIComponent(String(value)));
    (parameters.path ??= {})[param.name] = value;
  }
  if (/[{}]/.test(path)) return { ok: false, message: 'A path parameter of this operation is missing.' };

  const query = new URLSearchParams();
  for (const param of op.parameters) {
    if (param.in !== 'query') continue;
    const value = queryArgs[param.name];
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (!isScalar(v)) return { ok: false, message: `The query parameter "${param.name}" must be a string, number or boolean (or a list of them).` };
      query.append(param.name, String(v));
    }
    (parameters.query ??= {})[param.name] = value as Scalar | Scalar[];
  }

  const search = query.size ? `?${query.toString()}` : '';
  const request: UpstreamRequest = { method: op.method, url: `${op.serverUrl.replace(/\/+$/, '')}${path}${search}` };
  if (op.hasBody && args.body !== undefined) {
    request.body = JSON.stringify(args.body);
    request.headers = { 'content-type': 'application/json' };
    parameters.body = args.body;
  }
  return { ok: true, request, displayPath: path, parameters };
}
