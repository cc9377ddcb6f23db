import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { auditEvents, modelSettings } from '@/db/schema';
import { loadChatSettings } from '@/server/data-plane/engine/load';
import { modelBaseUrlProblem } from '@/core/model/model-endpoint';
import { snapshotDatabase } from '@/test/db-snapshot';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { dumpAllTables } from '@/test/runtime-fixtures';
import { saveModelAction } from './actions';
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

const SETTINGS = { model: 'gpt-test', systemPrompt: 'Be brief.', maxSteps: 4 };
const ENDPOINT = 'https://models.example.com/v1';

/** The Model tab's one save by the owner: endpoint, model and key together. */
async function setUp(copilotId: string) {
  await actAs(owner, { recentlyAuthenticated: true });
  const saved = await saveModelAction({ copilotId, baseUrl: `${ENDPOINT}/`, ...SETTINGS, apiKey: MODEL_KEY, expectedVersion: 0 });
  if (!saved.ok) throw new Error(saved.message);
}

describe('model settings', () => {
  it('one form, one save: an owner sets endpoint, model and key at once; the key is stored encrypted and shown only as a masked preview', async () => {
    const { id: copilotId } = await newCopilot();
    const db = await getDb();
    expect((await getModelSettings(db, { copilotId })).configured).toBe(false);
    await setUp(copilotId);

    const dto = await getModelSettings(db, { copilotId });
    expect(Object.keys(dto).sort()).toEqual(['apiKeyPreview', 'baseUrl', 'configured', 'maxSteps', 'model', 'systemPrompt', 'updatedAt', 'updatedByEmail', 'version']);
    expect(dto).toMatchObject({ baseUrl: ENDPOINT, model: 'gpt-test', apiKeyPreview: `••••••••${MODEL_KEY.slice(-4)}`, maxSteps: 4, version: 1, configured: true });
    expect(JSON.stringify(dto)).not.toContain(MODEL_KEY);
    expect(await dumpAllTables()).not.toContain(MODEL_KEY);
    expect((await loadChatSettings(db, { copilotId })).model).toMatchObject({ apiKey: MODEL_KEY, model: 'gpt-test', systemPrompt: 'Be brief.' });

    const audit = await db.select().from(auditEvents).where(eq(auditEvents.copilotId, copilotId));
    expect(audit.map((e) => e.action).sort()).toEqual(['model.endpoint_update', 'model.settings_update']);
    expect(JSON.stringify(audit)).not.toContain(MODEL_KEY);
  });

  it('moving the endpoint to another origin removes the key (it was entered for the old one) unless a new key comes with the move; another path on the same origin keeps it', async () => {
    const { id: copilotId } = await newCopilot();
    await setUp(copilotId);
    await actAs(owner, { recentlyAuthenticated: true });
    const samePlace = await saveModelAction({ copilotId, baseUrl: 'https://models.example.com/v2', ...SETTINGS, expectedVersion: 1 });
    expect(samePlace).toEqual({ ok: true, data: { version: 2, keyRemoved: false } });
    const moved = await saveModelAction({ copilotId, baseUrl: 'https://other-models.example.net/v1', ...SETTINGS, expectedVersion: 2 });
    expect(moved).toEqual({ ok: true, data: { version: 3, keyRemoved: true } });
    expect((await getModelSettings(await getDb(), { copilotId })).apiKeyPreview).toBeNull();
    const withKey = await saveModelAction({ copilotId, baseUrl: 'https://third.example.org/v1', ...SETTINGS, apiKey: `${MODEL_KEY}-new`, expectedVersion: 3 });
    expect(withKey).toEqual({ ok: true, data: { version: 4, keyRemoved: false } });
    expect((await loadChatSettings(await getDb(), { copilotId })).model).toMatchObject({ apiKey: `${MODEL_KEY}-new` });
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

  it('[sudo-for-destinations]: the model endpoint is a destination for a secret: an owner without a recently confirmed password is asked for it, an admin may not change it, and nothing changes; the rest of the form needs neither', async () => {
    const { id: copilotId } = await newCopilot();
    await setUp(copilotId);
    await actAs(owner);
    const before = await snapshotDatabase({ except: ['user_sessions'] });
    expect(await saveModelAction({ copilotId, baseUrl: 'https://elsewhere.example.com/v1', ...SETTINGS, expectedVersion: 1 })).toMatchObject({ ok: false, code: 'reauth_required' });
    await actAs(admin, { recentlyAuthenticated: true });
    expect(await saveModelAction({ copilotId, baseUrl: 'https://elsewhere.example.com/v1', ...SETTINGS, expectedVersion: 1 })).toMatchObject({
      ok: false,
      fieldErrors: { baseUrl: [expect.stringMatching(/Only owners change the endpoint/)] },
    });
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(before);
    // The endpoint sent back as it was: an admin saves another model name without any password.
    await actAs(admin);
    expect(await saveModelAction({ copilotId, baseUrl: ENDPOINT, ...SETTINGS, model: 'gpt-other', expectedVersion: 1 })).toEqual({ ok: true, data: { version: 2, keyRemoved: false } });
  });

  it('a bad endpoint is refused by its field before any password is asked for; a metadata address is named as never allowed, with no setting to suggest', async () => {
    const { id: copilotId } = await newCopilot();
    await actAs(owner); // no recent confirmation: the URL's problem must come first
    const before = await snapshotDatabase({ except: ['user_sessions'] });
    const ftp = await saveModelAction({ copilotId, baseUrl: 'ftp://models.example.com/v1', ...SETTINGS, expectedVersion: 0 });
    expect(ftp).toMatchObject({ ok: false, fieldErrors: { baseUrl: [expect.stringMatching(/https/)] } });
    expect(ftp).not.toHaveProperty('code');
    const metadata = await saveModelAction({ copilotId, baseUrl: 'http://169.254.169.254/v1', ...SETTINGS, expectedVersion: 0 });
    expect(metadata).toMatchObject({ ok: false, fieldErrors: { baseUrl: [expect.stringMatching(/cloud metadata address.*never/)] } });
    expect(JSON.stringify(metadata)).not.toContain('RUNTIME_PRIVATE_HOSTS');
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(before);
  });

  it('[no-lost-updates]: saving twice in a row from one form works (the second save is based on the version the first returned); a save based on an older version is refused as stale, so the form offers Reload, and changes nothing', async () => {
    const { id: copilotId } = await newCopilot();
    await actAs(owner, { recentlyAuthenticated: true });
    expect(await saveModelAction({ copilotId, baseUrl: ENDPOINT, ...SETTINGS, expectedVersion: 0 })).toEqual({ ok: true, data: { version: 1, keyRemoved: false } });
    expect(await saveModelAction({ copilotId, baseUrl: ENDPOINT, ...SETTINGS, model: 'gpt-two', expectedVersion: 1 })).toEqual({ ok: true, data: { version: 2, keyRemoved: false } });
    const before = await snapshotDatabase({ except: ['user_sessions'] });
    const stale = await saveModelAction({ copilotId, baseUrl: ENDPOINT, ...SETTINGS, model: 'gpt-late', expectedVersion: 1 });
    expect(stale).toMatchObject({ ok: false, code: 'stale', message: expect.stringMatching(/changed by someone else/) });
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(before);
  });

  it('refuses bad input field by field, without quoting the key, and changes nothing', async () => {
    const { id: copilotId } = await newCopilot();
    await actAs(owner, { recentlyAuthenticated: true });
    const before = await snapshotDatabase({ except: ['user_sessions'] });
    const badKey = await saveModelAction({ copilotId, baseUrl: ENDPOINT, ...SETTINGS, apiKey: `${MODEL_KEY}\r\nX-Evil: 1`, expectedVersion: 0 });
    expect(badKey).toMatchObject({ ok: false, fieldErrors: { apiKey: [expect.stringMatching(/line breaks/)] } });
    expect(JSON.stringify(badKey)).not.toContain(MODEL_KEY);
    expect(await saveModelAction({ copilotId, baseUrl: '', model: '', systemPrompt: '', maxSteps: 99, expectedVersion: 0 })).toMatchObject({
      ok: false,
      fieldErrors: { baseUrl: expect.any(Array), model: expect.any(Array), maxSteps: expect.any(Array) },
    });
    for (const baseUrl of ['http://models.example.com/v1', 'https://user:pw@models.example.com', 'ftp://models.example.com', 'https://models.example.com/v1?key=1']) {
      expect(await saveModelAction({ copilotId, baseUrl, ...SETTINGS, expectedVersion: 0 }), baseUrl).toMatchObject({ ok: false, fieldErrors: { baseUrl: expect.any(Array) } });
    }
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(before);
  });

  it('base URL rules follow the operator: plain http only to hosts listed in RUNTIME_PRIVATE_HOSTS', () => {
    expect(modelBaseUrlProblem('http://127.0.0.1:11434/v1', { privateHosts: ['127.0.0.1'] })).toBeNull();
    expect(modelBaseUrlProblem('http://127.0.0.1:11434/v1', { privateHosts: [] })).toMatch(/RUNTIME_PRIVATE_HOSTS/);
    expect(modelBaseUrlProblem('https://api.openai.com/v1', { privateHosts: [] })).toBeNull();
  });
});
