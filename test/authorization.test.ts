import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionResult } from '@/core/action-result';
import { sendSessionToken } from './factories';
import { snapshotDatabase } from './db-snapshot';
import { startServer, type TestServer } from './fixtures/test-servers';
import { CASES, type Access } from './authorization/cases';
import { discoverServerActions, type DiscoveredAction } from './authorization/discover';
import { buildWorld, CALLERS, PENDING_CALLERS, type CallerName, type World } from './authorization/world';

/**
 * [actions-guard-themselves] (every server action authenticates and authorizes itself) and
 * [viewers-change-nothing], for every function exported by a 'use server' module — found on disk, not listed by hand.
 * Each is called directly, as the public POST endpoint it is, by each kind of caller who must be refused;
 * the whole database and the copilot's API must be untouched afterwards.
 */
let upstream: TestServer;
let actions: DiscoveredAction[];
let world: World;

beforeAll(async () => {
  upstream = await startServer();
  actions = await discoverServerActions();
  world = await buildWorld(upstream);
});

afterAll(async () => {
  sendSessionToken(null);
  await upstream.close();
});

const RANK = { viewer: 1, admin: 2, owner: 3 } as const;

/** Whether `caller` must be refused by an action with this access rule. */
function mustRefuse(caller: CallerName, access: Access): boolean {
  if (access.scope === 'link' || access.scope === 'setup') return true; // with an unknown link, or once set up
  if (caller === 'signedOut' || caller === 'disabled' || caller === 'revoked') return true;
  // [second-factor-pending-reaches-nothing]: half signed in, only the step owed and signing out get through.
  if (caller === 'secondFactorPending') return access.scope !== 'second factor' && access.scope !== 'own session';
  if (caller === 'enrolmentPending') return access.scope !== 'second factor setup' && access.scope !== 'own session';
  if (access.scope === 'second factor') return true;
  if (access.scope === 'user' || access.scope === 'own session' || access.scope === 'second factor setup') return false;
  if (access.scope === 'instance' || access.scope === 'creator') return caller !== 'instanceAdmin';
  if (caller === 'owner' || caller === 'instanceAdmin') return false;
  if (caller === 'viewer') return RANK[access.minRole] > RANK.viewer;
  if (caller === 'admin') return RANK[access.minRole] > RANK.admin;
  return true; // stranger, owner of another copilot
}

function action(name: string): DiscoveredAction['fn'] {
  return actions.find((a) => a.name === name)!.fn;
}

async function outcome(promise: Promise<unknown>): Promise<{ error?: { name?: string }; result?: ActionResult<unknown> }> {
  try {
    return { result: (await promise) as ActionResult<unknown> };
  } catch (error) {
    return { error: error as { name?: string } };
  }
}

describe('[actions-guard-themselves]: every server action authenticates and authorizes itself, and a refused call changes nothing', () => {
  it('every exported server action has a case in test/authorization/cases.ts (a new one without a case fails here, by name)', () => {
    const names = actions.map((a) => a.name);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((name) => !(name in CASES)), 'server actions without an authorization case').toEqual([]);
    expect(Object.keys(CASES).filter((name) => !names.includes(name)), 'cases for actions that no longer exist').toEqual([]);
    expect(new Set(names).size, 'two server modules export the same name').toBe(names.length);
  });

  for (const caller of Object.keys(CALLERS) as CallerName[]) {
    const tag = caller === 'viewer' ? '[viewers-change-nothing]' : caller in PENDING_CALLERS ? '[second-factor-pending-reaches-nothing]' : '[actions-guard-themselves]';
    it(`${tag}: refuses ${CALLERS[caller]}`, async () => {
      const refused = Object.entries(CASES).filter(([, c]) => mustRefuse(caller, c.access));
      expect(refused.length).toBeGreaterThan(0);
      for (const [name, c] of refused) {
        sendSessionToken(world.tokens[caller]);
        const before = await snapshotDatabase();
        const seen = upstream.requests.length;
        const { error, result } = await outcome(action(name)(c.input(world) as never));
        const where = `${name} as ${CALLERS[caller]}`;
        if (c.access.scope === 'link' || c.access.scope === 'setup') expect(result, where).toMatchObject({ ok: false });
        // Nothing to refuse: without an active session it has nothing to end (the snapshot below proves it).
        else if (c.access.scope === 'own session') expect(error, where).toBeUndefined();
        else expect(error?.name, `${where} was not refused`).toBe('AuthError');
        expect(await snapshotDatabase(), `${where} changed the database`).toBe(before);
        expect(upstream.requests.length, `${where} reached the copilot's API`).toBe(seen);
      }
    });
  }

  it('[actions-guard-themselves]: lets the authorised caller through every guard (the matrix is not refusing everyone)', async () => {
    const authorised: Record<Access['scope'], CallerName | null> = {
      copilot: 'owner',
      instance: 'instanceAdmin',
      creator: 'instanceAdmin',
      user: 'owner',
      link: 'signedOut',
      setup: null,
      'own session': 'owner',
      'second factor': 'secondFactorPending',
      'second factor setup': 'enrolmentPending',
    };
    for (const [name, c] of Object.entries(CASES)) {
      const caller = authorised[c.access.scope];
      if (!caller) continue; // setup: the first-admin tests cover the one moment it is open
      const fresh = await buildWorld(upstream);
      sendSessionToken(fresh.tokens[caller]);
      const { error, result } = await outcome(action(name)((c.allowed ?? c.input)(fresh) as never));
      expect(error, `${name} refused ${CALLERS[caller]}: ${String(error)}`).toBeUndefined();
      // A link's holder gets all the way through; the others at least past the guard (an answer, not an AuthError).
      if (c.access.scope === 'link') expect(result, name).toMatchObject({ ok: true });
      else expect(result, name).toHaveProperty('ok');
    }
  });
});
