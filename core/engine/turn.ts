import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionMessageToolCall } from 'openai/resources/chat/completions';
import { summarizeError } from '@/core/error-summary';
import { componentLogger } from '@/core/observability/log';
import { routeMetrics } from '@/core/observability/metrics';
import { callUpstream } from '@/core/upstream/call-upstream';
import { operatorNetworkPolicy } from '@/core/upstream/network-policy';
import { prepareCopilot, type PreparedCopilot } from '@/core/upstream/prepared';
import { createRedactor, type Redactor } from '@/core/upstream/redact';
import { truncateUtf8 } from '@/core/upstream/response-body';
import type { NetworkPolicy } from '@/core/upstream/types';
import type { ChatRequest } from './chat-schema';
import type { Emit } from './events';
import { createModelClient, ModelEndpointRefused } from './model-client';
import { buildToolRequest, toolDefinitions } from './tools';
import type { ModelConfig, ToolOperation, WidgetCopilot } from './types';

/** What goes back to the model from one call (after redaction): enough to answer, bounded. */
export const MAX_TOOL_RESULT_BYTES = 16 * 1024;
const MAX_EVENT_ID_CHARS = 64;

export type TurnInput = {
  /** Records which dashboard headers a call sent and the API's status (call health in the dashboard). */
  recordUse: (usedHeaderIds: readonly string[], status: number | null) => void;
  copilot: WidgetCopilot & { model: ModelConfig };
  /** The copilot's cached prepared form (base URLs, redactor); prepared once for this turn when absent. */
  prepared?: PreparedCopilot | null;
  request: ChatRequest;
  emit: Emit;
  signal: AbortSignal;
  /** Defaults to the operator's RUNTIME_PRIVATE_HOSTS (for the model endpoint and the API calls). */
  network?: NetworkPolicy;
};

/**
 * Every credential this turn holds — the copilot's dashboard values, this request's widget values and
 * the model key — in every common encoding. Applied to everything sent to the model.
 */
function turnRedactor(copilot: TurnInput['copilot'], widgetHeaders: Record<string, string> | undefined): Redactor {
  return createRedactor([
    ...copilot.dashboardHeaders.map((h) => h.value),
    ...Object.values(widgetHeaders ?? {}),
    ...(copilot.model.apiKey ? [copilot.model.apiKey] : []),
  ]);
}

function systemMessage(copilot: TurnInput['copilot'], user: ChatRequest['user']): string {
  const parts = [copilot.model.systemPrompt.trim()];
  if (copilot.operations.length) {
    parts.push("You can call the user's API through the tools provided. Authentication is added for you: never ask for credentials.");
  }
  const who = [user?.name && `name: ${user.name}`, user?.id && `id: ${user.id}`, user?.email && `email: ${user.email}`].filter(Boolean);
  if (who.length) parts.push(`The signed-in user (informational): ${who.join(', ')}.`);
  return parts.filter(Boolean).join('\n\n');
}

/** A safe, fixed sentence per failure: a provider's own message could quote anything. */
function modelFailure(error: unknown): { code: 'model_error' | 'configuration_error'; message: string; log: string } {
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (error instanceof ModelEndpointRefused || cause instanceof ModelEndpointRefused) {
    return { code: 'configuration_error', message: "This assistant's model endpoint is not allowed by the server's network rules. An admin needs to check the model settings.", log: 'endpoint refused by network rules' };
  }
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const status = error.status;
    const message =
      status === 401 || status === 403
        ? "The model provider refused this assistant's API key. An admin needs to check the model settings."
        : status === 404
          ? 'The model provider does not know this model or endpoint. An admin needs to check the model settings.'
          : status === 429
            ? 'The model provider is busy or over its quota. Try again in a moment.'
            : status >= 500
              ? 'The model provider had a problem. Try again in a moment.'
              : 'The model provider refused the request.';
    return { code: 'model_error', message, log: `model answered ${status}` };
  }
  return { code: 'model_error', message: 'The model provider could not be reached. Try again in a moment.', log: summarizeError(error) };
}

type StepResult = { text: string; toolCalls: ChatCompletionMessageToolCall[] };

/** One streamed completion: text deltas go to the widget as they come; tool calls are assembled. */
async function streamStep(client: OpenAI, params: { model: string; messages: ChatCompletionMessageParam[]; tools: ReturnType<typeof toolDefinitions>; final: boolean }, emit: Emit, signal: AbortSignal): Promise<StepResult> {
  const stream = await client.chat.completions.create(
    {
      model: params.model,
      messages: params.messages,
      stream: true,
      ...(params.tools.length ? { tools: params.tools, tool_choice: params.final ? ('none' as const) : ('auto' as const) } : {}),
    },
    { signal },
  );
  let text = '';
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta;
    if (!delta) continue;
    if (delta.content) {
      text += delta.content;
      emit({ type: 'text', data: { delta: delta.content } });
    }
    for (const call of delta.tool_calls ?? []) {
      const current = calls.get(call.index) ?? { id: '', name: '', arguments: '' };
      if (call.id) current.id = call.id;
      if (call.function?.name) current.name += call.function.name;
      if (call.function?.arguments) current.arguments += call.function.arguments;
      calls.set(call.index, current);
    }
  }
  const toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, c]) => ({ id: c.id || `call_${index}`, type: 'function' as const, function: { name: c.name, arguments: c.arguments } }));
  return { text, toolCalls };
}

type ToolOutcome = { content: string; authStatus: number | null };

const chatMetrics = routeMetrics('widget_chat');
const log = componentLogger('engine');

/** Runs one tool call through callUpstream and returns what the model may see (redacted, bounded). */
async function runTool(input: TurnInput, prepared: PreparedCopilot, call: ChatCompletionMessageToolCall, operations: Map<string, ToolOperation>, redactor: Redactor): Promise<ToolOutcome> {
  const { emit } = input;
  const id = call.id.slice(0, MAX_EVENT_ID_CHARS);
  const name = call.type === 'function' ? call.function.name : '';
  const op = operations.get(name);
  if (!op) {
    emit({ type: 'tool_result', data: { id, error: 'unknown_operation' } });
    return { content: JSON.stringify({ error: 'unknown_operation', message: 'There is no such tool.' }), authStatus: null };
  }
  const built = buildToolRequest(op, call.type === 'function' ? call.function.arguments : '');
  if (!built.ok) {
    emit({ type: 'tool_call', data: { id, operation: op.toolName, method: op.method, path: op.path } });
    emit({ type: 'tool_result', data: { id, error: 'invalid_arguments' } });
    return { content: JSON.stringify({ error: 'invalid_arguments', message: built.message }), authStatus: null };
  }
  emit({ type: 'tool_call', data: { id, operation: op.toolName, method: op.method, path: built.displayPath } });
  const startedAt = performance.now();
  const result = await callUpstream({
    prepared,
    request: built.request,
    widgetHeaders: input.request.headers ?? null,
    network: input.network,
  });
  chatMetrics.upstream(startedAt, result);
  input.recordUse(result.usedHeaderIds, result.ok ? result.status : null);
  if (!result.ok) {
    emit({ type: 'tool_result', data: { id, error: result.code } });
    return { content: redactor.text(JSON.stringify({ error: result.code, message: result.message })), authStatus: null };
  }
  emit({ type: 'tool_result', data: { id, status: result.status, durationMs: result.durationMs } });
  const authStatus = result.status === 401 || result.status === 403 ? result.status : null;
  if (authStatus) emit({ type: 'auth_error', data: { status: authStatus, operation: op.toolName } });
  // Redact the whole body first, then cut: a secret straddling the cut is already [REDACTED].
  const body = result.bodyEncoding === 'utf8' ? truncateUtf8(redactor.text(result.body), MAX_TOOL_RESULT_BYTES) : null;
  const content = {
    status: result.status,
    contentType: result.headers['content-type'] ?? null,
    ...(body ? { body: body.text, ...(body.truncated ? { truncated: true } : {}) } : { body: '(binary response omitted)' }),
  };
  return { content: redactor.text(JSON.stringify(content)), authStatus };
}

/**
 * One chat turn: streams the model's answer; each tool call goes through callUpstream with the merged
 * dashboard + widget headers, and its redacted, truncated result goes back to the model; at most
 * maxSteps model calls. A 401/403 from the API emits auth_error and ends the turn (the widget may
 * refresh the user's token and retry). Nothing a credential could hide in reaches the model unredacted.
 * The caller emits `done`.
 */
export async function runTurn(input: TurnInput): Promise<void> {
  const { copilot, request, emit, signal } = input;
  const model = copilot.model;
  const redactor = turnRedactor(copilot, request.headers);
  const network = input.network ?? operatorNetworkPolicy();
  const client = createModelClient(model, { policy: network, redactor });
  const tools = toolDefinitions(copilot.operations);
  const operations = new Map(copilot.operations.map((op) => [op.toolName, op]));
  let prepared = input.prepared ?? null;

  const system = systemMessage(copilot, request.user);
  const messages: ChatCompletionMessageParam[] = [
    ...(system ? [{ role: 'system' as const, content: redactor.text(system) }] : []),
    ...request.messages.map((m) => ({ role: m.role, content: redactor.text(m.content) })),
  ];

  for (let step = 1; step <= model.maxSteps; step++) {
    let result: StepResult;
    try {
      result = await streamStep(client, { model: model.model, messages, tools, final: step === model.maxSteps }, emit, signal);
    } catch (error) {
      if (signal.aborted) return;
      const failure = modelFailure(error);
      log.error(`copilot ${copilot.id}: ${failure.log}`, undefined, { copilotId: copilot.id });
      emit({ type: 'error', data: { code: failure.code, message: failure.message } });
      return;
    }
    if (result.toolCalls.length === 0) return;
    if (step === model.maxSteps) break;

    messages.push({ role: 'assistant', content: result.text ? redactor.text(result.text) : null, tool_calls: result.toolCalls });
    let authFailed = false;
    for (const call of result.toolCalls) {
      if (signal.aborted) return;
      prepared ??= await prepareCopilot(copilot, copilot.dashboardHeaders);
      const outcome = await runTool(input, prepared, call, operations, redactor);
      if (outcome.authStatus) authFailed = true;
      messages.push({ role: 'tool', tool_call_id: call.id, content: outcome.content });
    }
    if (authFailed) return;
  }
  emit({ type: 'error', data: { code: 'max_steps', message: `The assistant stopped after ${model.maxSteps} steps without a final answer. Try a more specific question.` } });
}
