import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db/client';
import { mcpTokens } from '@/db/schema';
import { hashOpaqueToken } from '@/core/crypto/opaque-token';
import { actAs, addMembership, createCopilot, createUser, type TestUser } from '@/test/factories';
import { snapshotDatabase } from '@/test/db-snapshot';
import { createMcpTokenAction, revokeMcpTokenAction } from './actions';
import { listMcpTokens } from './queries';
import { MCP_TOKEN_HOLDER_ROLES } from '@/core/mcp-tokens';
import { MEMBER_ROLES } from '@/db/enums';
import { hasRole } from '@/lib/auth/guard';
import { MAX_ACTIVE_MCP_TOKENS_PER_PERSON, MCP_TOKEN_HOLDER_ROLE } from './schema';

let owner: TestUser;
let viewer: TestUser;
let copilotA: string;
let copilotB: string;

beforeAll(async () => {
  owner = await createUser();
  viewer = await createUser();
  copilotA = (await createCopilot(owner)).id;
  copilotB = (await createCopilot(owner)).id;
  await addMembership(copilotA, viewer, 'viewer');
});

describe('MCP token actions', () => {
  it('the roles whose tokens keep working are exactly those that may create one', () => {
    expect([...MCP_TOKEN_HOLDER_ROLES].sort()).toEqual(MEMBER_ROLES.filter((role) => hasRole(role, MCP_TOKEN_HOLDER_ROLE)).sort());
  });

  it('[mcp-token-hashed] creating returns the token once; only its hash and prefix are stored; the list DTO has exactly the expected keys', async () => {
    await actAs(owner, { recentlyAuthenticated: true });
    const created = await createMcpTokenAction({ copilotId: copilotA, name: 'laptop editor', expiresInDays: 7 });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.data.token).toMatch(/^chmcp_[A-Za-z0-9_-]{43}$/);
    const db = await getDb();
    const [row] = await db.select().from(mcpTokens).where(eq(mcpTokens.id, created.data.id));
    expect(row!.hash).toBe(hashOpaqueToken(created.data.token));
    expect(created.data.token.startsWith(row!.prefix)).toBe(true);
    expect(JSON.stringify(row)).not.toContain(created.data.token);
    const expiresInMs = row!.expiresAt.getTime() - Date.now();
    expect(expiresInMs).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    expect(expiresInMs).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);

    const listed = await listMcpTokens(db, { copilotId: copilotA, viewerId: owner.id });
    const mine = listed.find((t) => t.id === created.data.id)!;
    expect(Object.keys(mine).sort()).toEqual(['createdAt', 'expired', 'expiresAt', 'holderEmail', 'holderEntitled', 'id', 'mine', 'name', 'prefix', 'revokedAt']);
    expect(mine).toMatchObject({ mine: true, holderEntitled: true, expired: false, holderEmail: owner.email });
    expect(JSON.stringify(listed)).not.toMatch(/[0-9a-f]{64}/);
    expect((await listMcpTokens(db, { copilotId: copilotA, viewerId: viewer.id })).find((t) => t.id === created.data.id)!.mine).toBe(false);
  });

  it('bad input → field errors and nothing changes', async () => {
    await actAs(owner, { recentlyAuthenticated: true });
    const before = await snapshotDatabase();
    for (const expiresInDays of [0, 91, 1.5]) {
      const result = await createMcpTokenAction({ copilotId: copilotA, name: ' ', expiresInDays });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(['expiresInDays', 'name']);
    }
    expect(await snapshotDatabase()).toBe(before);
  });

  it('creating needs an admin who confirmed their password recently; a viewer is refused; nothing changes', async () => {
    await actAs(owner);
    const before = await snapshotDatabase({ except: ['user_sessions'] });
    expect(await createMcpTokenAction({ copilotId: copilotA, name: 'no sudo', expiresInDays: 7 })).toMatchObject({ ok: false, code: 'reauth_required' });
    await actAs(viewer, { recentlyAuthenticated: true });
    await expect(createMcpTokenAction({ copilotId: copilotA, name: 'viewer', expiresInDays: 7 })).rejects.toThrow();
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(before);
  });

  it('revoking another copilot\'s token id or a revoked one changes nothing', async () => {
    await actAs(owner, { recentlyAuthenticated: true });
    const created = await createMcpTokenAction({ copilotId: copilotB, name: 'on B', expiresInDays: 7 });
    if (!created.ok) throw new Error(created.message);
    const before = await snapshotDatabase({ except: ['user_sessions'] });
    const result = await revokeMcpTokenAction({ copilotId: copilotA, tokenId: created.data.id });
    expect(result.ok).toBe(false);
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(before);
    expect((await revokeMcpTokenAction({ copilotId: copilotB, tokenId: created.data.id })).ok).toBe(true);
    const after = await snapshotDatabase({ except: ['user_sessions'] });
    expect((await revokeMcpTokenAction({ copilotId: copilotB, tokenId: created.data.id })).ok).toBe(false);
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(after);
  });

  it(`at most ${MAX_ACTIVE_MCP_TOKENS_PER_PERSON} active tokens per person and copilot`, async () => {
    const person = await createUser();
    const copilotId = (await createCopilot(person)).id;
    await actAs(person, { recentlyAuthenticated: true });
    for (let i = 0; i < MAX_ACTIVE_MCP_TOKENS_PER_PERSON; i++) expect((await createMcpTokenAction({ copilotId, name: `t${i}`, expiresInDays: 1 })).ok).toBe(true);
    const before = await snapshotDatabase({ except: ['user_sessions'] });
    expect(await createMcpTokenAction({ copilotId, name: 'one too many', expiresInDays: 1 })).toMatchObject({ ok: false, message: expect.stringContaining('at most') });
    expect(await snapshotDatabase({ except: ['user_sessions'] })).toBe(before);
  });
});
