import { describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { verifyPreviewGrant } from '@/core/preview-grant';
import { requireCopilotRole } from '@/lib/auth/guard';
import type { Role } from '@/db/schema';
import { allowOrigins, configureModel } from '@/test/engine-fixtures';
import { actAs, addMembership, createCopilot, createUser } from '@/test/factories';
import { getSetupChecklist } from './setup-checklist';
import { getSetupGuide } from './setup-guide';

/** The guide as the overview loads it for `role`: a real session, the real role check, the stored steps. */
async function guideAs(copilotId: string, role: Role) {
  const user = await createUser();
  await addMembership(copilotId, user, role);
  const sessionId = await actAs(user);
  const ctx = await requireCopilotRole(copilotId, 'viewer');
  const steps = (await getSetupChecklist(await getDb(), { copilotId }))!;
  return { user, sessionId, guide: await getSetupGuide(ctx, steps) };
}

describe('setup guide (the forms the overview checklist opens in place)', () => {
  it('[viewers-change-nothing]: a viewer gets no forms, no model settings and no Preview grant, at any step', async () => {
    const owner = await createUser();
    const copilot = await createCopilot(owner, { apiBaseUrls: ['https://api.example.com'] });
    expect((await guideAs(copilot.id, 'viewer')).guide).toBeNull();
    await configureModel(copilot.id, { baseUrl: 'https://models.example.com/v1' });
    expect((await guideAs(copilot.id, 'viewer')).guide).toBeNull();
  });

  it('an admin gets the model form (endpoint read-only: not an owner) while the model step is open, and no Preview grant before a model exists', async () => {
    const owner = await createUser();
    const copilot = await createCopilot(owner, { apiBaseUrls: ['https://api.example.com'] });
    const { guide } = await guideAs(copilot.id, 'admin');
    expect(guide).not.toBeNull();
    expect(guide!.isOwner).toBe(false);
    expect(guide!.preview).toBeNull();
    expect(Object.keys(guide!.model!).sort()).toEqual(['apiKeyPreview', 'baseUrl', 'configured', 'maxSteps', 'model', 'systemPrompt', 'updatedAt', 'updatedByEmail', 'version']);
    expect(guide!.model!.configured).toBe(false);
  });

  it('once the model is set, an owner gets a Preview grant for this copilot and this session (as the Preview tab mints it), and no model form', async () => {
    const owner = await createUser();
    const copilot = await createCopilot(owner, { apiBaseUrls: ['https://api.example.com'] });
    await configureModel(copilot.id, { baseUrl: 'https://models.example.com/v1', apiKey: 'sk-test-never-sent-to-a-browser' });
    const { user, sessionId, guide } = await guideAs(copilot.id, 'owner');
    expect(guide!.isOwner).toBe(true);
    expect(guide!.model).toBeNull();
    const check = verifyPreviewGrant(guide!.preview!.grant, guide!.preview!.apiUrl);
    expect(check.ok && check.claims).toMatchObject({ copilotId: copilot.id, userId: user.id, sessionId });
    expect(JSON.stringify(guide)).not.toContain('sk-test-never-sent-to-a-browser');
  });

  it('every step done: nothing to open, nothing minted', async () => {
    const owner = await createUser();
    const copilot = await createCopilot(owner, { apiBaseUrls: ['https://api.example.com'] });
    await configureModel(copilot.id, { baseUrl: 'https://models.example.com/v1' });
    await allowOrigins(copilot.id, ['https://app.example.com']);
    const steps = (await getSetupChecklist(await getDb(), { copilotId: copilot.id }))!.map((step) => ({ ...step, done: true }));
    await actAs(owner);
    expect(await getSetupGuide(await requireCopilotRole(copilot.id, 'viewer'), steps)).toBeNull();
  });
});
