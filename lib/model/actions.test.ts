import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, modelSettings } from '@/db/schema';
import { loadChatSettings } from '@/core/engine/load';
import { modelBaseUrlProblem } from '@/core/engine/model-endpoint';
import { snapshotDatabase } from '@/test/db-snapshot';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { dumpAllTables } from '@/test/runtime-fixtures';
import { updateModelEndpointAction, updateModelSettingsAction } from './actions';
import { getModelSettings } from './queries';

const MODEL_KEY = 'sk-test-model-key-9fQ2xV7mL4pR';
let owner: TestUser;
let admin: TestUser;

beforeAll(async () => {
  owner = await createUser();
  admin = await createUser();
});

async function newCopilot() {
  const copilot = await createCopilot(owner);
  await addMembership(copilot.id, admin, 'admin');
  return copilot;
}

async function setUp(copilotId: string) {
  await actAs(owner, { recentlyAuthenticated: true });
  const endpoint = await updateModelEndpointAction({ copilotId, baseUrl: 'https://models.example.com/v1/', expectedVersion: 0 });
  if (!endpoint.ok) throw new Error(endpoint.message);
  await actAs(admin);
  const settings = await updateModelSettingsAction({ copilotId, model: 'gpt-test', apiKey: MODEL_KEY, systemPrompt: 'Be brief.', maxSteps: 4, expectedVersion: 1 });
  if (!settings.ok) throw new Error(settings.message);
}

describe('model settings', () => {
  it('an owner sets the endpoint, an admin the model and key: the key is stored encrypted and shown only as a masked preview', async () => {
    const { id: copilotId } = await newCopilot();
    const db = await getDb();
    expect((await getModelSettings(db, { copilotId })).configured).toBe(false);
    await setUp(copilotId);

    const dto = await getModelSettings(db, { copilotId });
    expect(Object.keys(dto).sort()).toEqual(['apiKeyPreview', 'baseUrl', 'configured', 'maxSteps', 'model', 'systemPrompt', 'updatedAt', 'updatedByEmail', 'version']);
    expect(dto).toMatchObject({ baseUrl: 'https://models.example.com/v1', model: 'gpt-test', apiKeyPreview: `••••••••${MODEL_KEY.slice(-4)}`, maxSteps: 4, version: 2, configured: true });
    expect(JSON.stringify(dto)).not.toContain(MODEL_KEY);
    expect(await dumpAllTables()).not.toContain(MODEL_KEY);
    expect((await loadChatSettings(db, { copilotId })).model).toMatchObject({ apiKey: MODEL_KEY, model: 'gpt-test', systemPrompt: 'Be brief.' });

    const audit = await db.select().from(auditEvents).where(eq(auditEvents.copilotId, copilotId));
    expect(audit.map((e) => e.action).sort()).toEqual(['model.endpoint_update', 'model.settings_update']);
    expect(JSON.stringify(audit)).not.toContain(MODEL_KEY);
  });

  it('moving the endpoint to another origin removes the key (it was entered for the old one); another path on the same origin keeps it', async () => {
    const { id: copilotId } = await newCopilot();
    await setUp(copilotId);
    await actAs(owner, { recentlyAuthenticated: true });
    const samePlace = await updateModelEndpointAction({ copilotId, baseUrl: 'https://models.example.com/v2', expectedVersion: 2 });
    expect(samePlace).toEqual({ ok: true, data: { version: 3, keyRemoved: false } });
    const moved = await updateModelEndpointAction({ copilotId, baseUrl: 'https://other-models.example.net/v1', expectedVersion: 3 });
    expect(moved).toEqual({ ok: true, data: { version: 4, keyRemoved: true } });
    expect((await getModelSettings(await getDb(), { copilotId })).apiKeyPreview).toBeNull();
  });

  it('[keys-fail-loudly]: a model key whose endpoint was changed behind the dashboard\'s back fails by name instead of going to the new host', async () => {
    const { id: copilotId } = await newCopilot();
    await setUp(copilotId);
    const db = await getDb();
    await db.update(modelSettings).set({ baseUrl: 'https://attacker.example/v1' }).where(eq(modelSettings.copilotId, copilotId));
    const loaded = await loadChatSettings(db, { copilotId });
    expect(loaded.modelKeyUnavailable).toBe(true);
    expect(loaded.model?.apiKey).toBeNull();
  });

  it('the model endpoint is a destination for a secret: an owner without a recently confirmed password is asked for it, and nothing changes', async () => {
    const { id: copilotId } = await newCopilot();
    await actAs(owner);
    const before = await snapshotDatabase();
    expect(await updateModelEndpointAction({ copilotId, baseUrl: 'https://elsewhere.example.com/v1', expectedVersion: 0 })).toMatchObject({ ok: false, code: 'reauth_required' });
    expect(await snapshotDatabase()).toBe(before);
  });

  it('[no-lost-updates]: an edit based on a stale version is refused and changes nothing', async () => {
    const { id: copilotId } = await newCopilot();
    await setUp(copilotId);
    await actAs(admin);
    const before = await snapshotDatabase({ except: ['user_sessions'] });
    const stale = await updateModelSettingsAction({ copilotId, model: 'other', systemPrompt: '', maxSteps: 2, expectedVersion: 1 });
    expect(stale).toMatchObject({ ok: false, message: expect.stringMatching(/changed by someone else/) });
    await actAs(owner, { recentlyAuthenticated: true });
    expect(await updateModelEndpointAction({ copilotId, baseUrl: 'https://x.example.com', expectedVersion: 0 })).toMatchObject({ ok: false });
    // The session row is the test signing the owner in, not the refused edit.
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(before);
  });

  it('refuses bad input field by field, without quoting the key, and changes nothing', async () => {
    const { id: copilotId } = await newCopilot();
    await actAs(admin);
    const before = await snapshotDatabase({ except: ['user_sessions'] });
    const noEndpoint = await updateModelSettingsAction({ copilotId, model: 'm', apiKey: MODEL_KEY, systemPrompt: '', maxSteps: 3, expectedVersion: 0 });
    expect(noEndpoint).toMatchObject({ ok: false, fieldErrors: { apiKey: [expect.stringMatching(/owner must set the model endpoint first/)] } });
    const badKey = await updateModelSettingsAction({ copilotId, model: 'm', apiKey: `${MODEL_KEY}\r\nX-Evil: 1`, systemPrompt: '', maxSteps: 3, expectedVersion: 0 });
    expect(badKey).toMatchObject({ ok: false, fieldErrors: { apiKey: [expect.stringMatching(/line breaks/)] } });
    expect(JSON.stringify(badKey)).not.toContain(MODEL_KEY);
    expect(await updateModelSettingsAction({ copilotId, model: '', systemPrompt: '', maxSteps: 99, expectedVersion: 0 })).toMatchObject({ ok: false, fieldErrors: { model: expect.any(Array), maxSteps: expect.any(Array) } });
    await actAs(owner, { recentlyAuthenticated: true });
    for (const baseUrl of ['http://models.example.com/v1', 'https://user:pw@models.example.com', 'ftp://models.example.com', 'https://models.example.com/v1?key=1']) {
      expect(await updateModelEndpointAction({ copilotId, baseUrl, expectedVersion: 0 }), baseUrl).toMatchObject({ ok: false, fieldErrors: { baseUrl: expect.any(Array) } });
    }
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(before);
  });

  it('base URL rules follow the operator: plain http only to hosts listed in RUNTIME_PRIVATE_HOSTS', () => {
    expect(modelBaseUrlProblem('http://127.0.0.1:11434/v1', { privateHosts: ['127.0.0.1'] })).toBeNull();
    expect(modelBaseUrlProblem('http://127.0.0.1:11434/v1', { privateHosts: [] })).toMatch(/RUNTIME_PRIVATE_HOSTS/);
    expect(modelBaseUrlProblem('https://api.openai.com/v1', { privateHosts: [] })).toBeNull();
  });
});
