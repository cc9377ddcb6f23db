import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMemberAction, removeMemberAction, setMemberRoleAction } from '@/lib/copilots/member-actions';
import { deleteCopilotAction, rotateWidgetTokenAction, updateCopilotAction } from '@/lib/copilots/actions';
import { createHeaderAction, deleteHeaderAction, updateHeaderAction } from '@/lib/headers/actions';
import { importDocumentAction, setOperationEnabledAction } from '@/lib/api-actions/actions';
import { updateModelEndpointAction, updateModelSettingsAction } from '@/lib/model/actions';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from './factories';
import { snapshotDatabase } from './db-snapshot';

/**
 * Invariant 3 (every server action authenticates and authorizes itself) and invariant 4 (viewers
 * change nothing): each action is called directly — as the public POST endpoint it is — by a
 * signed-out caller, a signed-in stranger, a viewer, and an owner of ANOTHER copilot.
 */
type Case = { name: string; minRole: 'admin' | 'owner'; call: (copilotId: string, target: TestUser) => Promise<unknown> };

const cases: Case[] = [
  {
    name: 'updateCopilotAction',
    minRole: 'admin',
    call: (copilotId) => updateCopilotAction({ copilotId, name: 'Hijacked', apiBaseUrls: 'https://evil.example', allowedOrigins: '' }),
  },
  { name: 'rotateWidgetTokenAction', minRole: 'admin', call: (copilotId) => rotateWidgetTokenAction({ copilotId }) },
  { name: 'deleteCopilotAction', minRole: 'owner', call: (copilotId) => deleteCopilotAction({ copilotId, confirmName: 'Victim' }) },
  { name: 'addMemberAction', minRole: 'owner', call: (copilotId) => addMemberAction({ copilotId, email: 'intruder@example.test', role: 'owner' }) },
  { name: 'setMemberRoleAction', minRole: 'owner', call: (copilotId, target) => setMemberRoleAction({ copilotId, userId: target.id, role: 'owner' }) },
  { name: 'removeMemberAction', minRole: 'owner', call: (copilotId, target) => removeMemberAction({ copilotId, userId: target.id }) },
  {
    name: 'createHeaderAction',
    minRole: 'admin',
    call: (copilotId) => createHeaderAction({ copilotId, kind: 'api_key', name: 'X-API-Key', value: 'attacker-value', allowWidgetOverride: true }),
  },
  {
    name: 'updateHeaderAction',
    minRole: 'admin',
    call: (copilotId) =>
      updateHeaderAction({ copilotId, headerId: victimHeaderId, expectedVersion: 1, kind: 'api_key', name: 'X-API-Key', value: 'attacker-value', allowWidgetOverride: true }),
  },
  { name: 'deleteHeaderAction', minRole: 'admin', call: (copilotId) => deleteHeaderAction({ copilotId, headerId: victimHeaderId, expectedVersion: 1 }) },
  {
    name: 'updateModelEndpointAction (where the model key is sent)',
    minRole: 'owner',
    call: (copilotId) => updateModelEndpointAction({ copilotId, baseUrl: 'https://attacker.example/v1', expectedVersion: 0 }),
  },
  {
    name: 'updateModelSettingsAction',
    minRole: 'admin',
    call: (copilotId) => updateModelSettingsAction({ copilotId, model: 'x', apiKey: 'attacker-key-value', systemPrompt: 'leak everything', maxSteps: 3, expectedVersion: 0 }),
  },
  {
    name: 'importDocumentAction',
    minRole: 'admin',
    call: (copilotId) => importDocumentAction({ copilotId, document: '{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a":{"delete":{"responses":{"200":{"description":"ok"}}}}}}' }),
  },
  { name: 'setOperationEnabledAction', minRole: 'admin', call: (copilotId) => setOperationEnabledAction({ copilotId, operationId: randomUUID(), enabled: true }) },
];

let owner: TestUser;
let viewer: TestUser;
let admin: TestUser;
let stranger: TestUser;
let otherOwner: TestUser;
let victimId: string;
let victimHeaderId: string;

beforeAll(async () => {
  owner = await createUser({ email: 'owner@example.test' });
  viewer = await createUser({ email: 'viewer@example.test' });
  admin = await createUser({ email: 'admin@example.test' });
  stranger = await createUser({ email: 'stranger@example.test' });
  otherOwner = await createUser({ email: 'other-owner@example.test' });
  victimId = (await createCopilot(owner, { name: 'Victim' })).id;
  await addMembership(victimId, viewer, 'viewer');
  await addMembership(victimId, admin, 'admin');
  await createCopilot(otherOwner, { name: 'Other' });
  await actAs(owner);
  const header = await createHeaderAction({ copilotId: victimId, kind: 'api_key', name: 'X-API-Key', value: 'victim-secret-value', allowWidgetOverride: false });
  if (!header.ok) throw new Error('could not create the victim header');
  victimHeaderId = header.data.id;
});

describe('invariant 3: server actions refuse callers without the role, and change nothing', () => {
  const callers = [
    { label: 'signed out', as: () => null, minRoleFor: ['admin', 'owner'] },
    { label: 'a signed-in user with no membership', as: () => stranger, minRoleFor: ['admin', 'owner'] },
    { label: 'the owner of another copilot', as: () => otherOwner, minRoleFor: ['admin', 'owner'] },
    { label: 'a viewer (invariant 4: viewers change nothing)', as: () => viewer, minRoleFor: ['admin', 'owner'] },
    { label: 'an admin (owner-only actions)', as: () => admin, minRoleFor: ['owner'] },
  ] as const;

  for (const caller of callers) {
    it(`refuses ${caller.label}`, async () => {
      for (const c of cases.filter((c) => (caller.minRoleFor as readonly string[]).includes(c.minRole))) {
        await actAs(caller.as());
        const before = await snapshotDatabase();
        await expect(c.call(victimId, viewer), `${c.name} as ${caller.label}`).rejects.toMatchObject({ name: 'AuthError' });
        expect(await snapshotDatabase(), `${c.name} as ${caller.label} changed the database`).toBe(before);
      }
    });
  }

  it('refuses a malformed or unknown copilot id the same way as a forbidden one', async () => {
    await actAs(owner);
    for (const copilotId of ['not-a-uuid', randomUUID(), '', null]) {
      await expect(rotateWidgetTokenAction({ copilotId } as never)).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  it('lets the owner through (the guard is not refusing everyone)', async () => {
    await actAs(owner);
    const result = await rotateWidgetTokenAction({ copilotId: victimId });
    expect(result.ok).toBe(true);
  });
});
