import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { headerFormSchema } from './schema';

describe('templated header values in the header form', () => {
  it('[templates-from-verified-claims] a custom header may hold {{user.id}}-style templates, checked when saved; credential kinds may not', () => {
    const base = { copilotId: randomUUID(), name: 'X-On-Behalf-Of', allowWidgetOverride: false };
    expect(headerFormSchema.safeParse({ ...base, kind: 'custom', value: 'user-{{user.id}}' }).success).toBe(true);
    const refused = headerFormSchema.safeParse({ ...base, kind: 'custom', value: '{{user.ssn}}' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => [i.path, i.message])).toEqual([[['value'], 'A template may use only {{user.id}}, {{user.name}} and {{user.email}} (and no other braces)']]);
    expect(headerFormSchema.safeParse({ ...base, name: 'X-API-Key', kind: 'api_key', value: 'key-{{user.id}}' }).success).toBe(false);
    expect(headerFormSchema.safeParse({ ...base, name: 'Authorization', kind: 'bearer', token: '{{user.id}}' }).success).toBe(false);
  });
});
