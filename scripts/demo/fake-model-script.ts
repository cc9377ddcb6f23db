// What the demo's fake model (`npm run demo -- --fake-model`) "decides": no network, no key, no AI —
// a number in the question looks the order up, "buy"/"order a …" places one, anything else gets a hint.
import type { FakeModel } from '@/test/fixtures/fake-model';

type ToolAnswer = { status?: number; body?: string };
type Order = { id?: string; sku?: string; quantity?: number; state?: string };

/** The tool's answer told as a sentence, as a model would (it reads only what the tool result says). */
export function sentenceFor(toolContent: string): string {
  let answer: ToolAnswer;
  let order: Order = {};
  try {
    answer = JSON.parse(toolContent) as ToolAnswer;
    order = typeof answer.body === 'string' ? (JSON.parse(answer.body) as Order) : {};
  } catch {
    return "The orders API sent an answer I couldn't read.";
  }
  if (answer.status === 401 || answer.status === 403) return 'The orders API refused the call: it needs your sign-in (the User-Token header) as well as the system key.';
  if (answer.status === 404) return "I couldn't find that order for you — it may belong to someone else.";
  if (answer.status === 201 && order.id) return `Done: order ${order.id} for ${order.quantity ?? 1} × ${order.sku ?? 'item'} is placed.`;
  if (answer.status === 200 && order.id) return `Order ${order.id} (${order.quantity ?? 1} × ${order.sku ?? 'item'}) is ${order.state ?? 'on its way'}.`;
  return `The orders API answered with status ${answer.status ?? 'unknown'}.`;
}

export const demoModelScript: FakeModel['script'] = (body) => {
  const last = body.messages.at(-1);
  if (last?.role === 'tool') return { text: sentenceFor(last.content ?? '') };
  const question = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const tools = body.tools?.map((t) => t.function.name) ?? [];
  const find = (name: string) => tools.find((t) => t.toLowerCase() === name.toLowerCase());
  const buy = /\b(buy|place|create|new order|order an?)\b/i.exec(question) ? find('createOrder') : undefined;
  if (buy && body.tool_choice !== 'none') return { toolCalls: [{ name: buy, arguments: JSON.stringify({ body: { sku: 'demo-sticker', quantity: 1 } }) }] };
  const number = /\b(\d{1,6})\b/.exec(question)?.[1];
  const get = find('getOrder');
  if (number && get && body.tool_choice !== 'none') return { toolCalls: [{ name: get, arguments: JSON.stringify({ path: { orderId: number } }) }] };
  if (!tools.length) return { text: "I'm the demo's fake model, but no actions are enabled yet: import the OpenAPI document on the Actions tab." };
  return { text: "I'm the demo's fake model. Ask \"Where is order 42?\" or \"Buy a sticker\"." };
};
