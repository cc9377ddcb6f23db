import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prepareCopilot, withVerifiedUser } from '@/core/upstream/prepared';
import { fillTemplate, isTemplated, templateProblem } from './template';

describe('templated dashboard header values', () => {
  it('[templates-from-verified-claims] a template is filled from the verified user; a field it uses that is missing keeps the header out', () => {
    expect(isTemplated('{{user.id}}')).toBe(true);
    expect(isTemplated('tenant-{{ user.email }}')).toBe(true);
    expect(isTemplated('plain-api-key-value')).toBe(false);
    expect(fillTemplate('user:{{user.id}};{{ user.name }}', { id: '42', name: 'Ada' })).toBe('user:42;Ada');
    expect(fillTemplate('{{user.email}}', { id: '42' })).toBeNull();
  });

  it('only {{user.id}}, {{user.name}} and {{user.email}} are templates; any other braces are a problem', () => {
    expect(templateProblem('{{user.id}}')).toBeNull();
    expect(templateProblem('no braces at all')).toBeNull();
    for (const bad of ['{{user.password}}', '{{ env.SECRET }}', '{{user.id}', 'x}}', '{{{user.id}}}']) expect(templateProblem(bad), bad).not.toBeNull();
  });

  it('[templates-from-verified-claims] a prepared copilot never sends a templated header unless a verified user fills it', async () => {
    const copilotId = randomUUID();
    const headers = [
      { id: randomUUID(), name: 'X-API-Key', value: 'system-key-value-123', allowWidgetOverride: false, scopeHost: null, scopePathPrefix: null },
      { id: randomUUID(), name: 'X-On-Behalf-Of', value: '{{user.id}}', allowWidgetOverride: false, scopeHost: null, scopePathPrefix: null },
    ];
    const prepared = await prepareCopilot({ id: copilotId, apiBaseUrls: ['https://api.example.com'] }, headers);
    expect(prepared.dashboardHeaders.map((h) => h.name)).toEqual(['X-API-Key']);
    const verified = withVerifiedUser(prepared, { id: 'user-42' });
    expect(verified.dashboardHeaders.map((h) => [h.name, h.value])).toEqual([
      ['X-API-Key', 'system-key-value-123'],
      ['X-On-Behalf-Of', 'user-42'],
    ]);
    expect(prepared.dashboardHeaders).toHaveLength(1);
  });
});
