// What the demo's fake model (`npm run demo -- --fake-model`) "decides": no network, no key, no AI —
// a number in the question looks the order up, "buy"/"order a …" places one, anything else gets a hint.
import type { FakeModel } from '@/test/fixtures/fake-model';

export const demoModelScript: FakeModel['script'] = (body) => {
  const last = body.messages.at(-1);
  if (last?.role === 'tool') return { text: `Here is what the orders API answered: ${(last.content ?? '').slice(0, 300)}` };
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
