import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { globalHeaders } from '@/db/schema';
import { DecryptionError } from '@/core/crypto/aead';
import { resetKeyringCache } from '@/core/crypto/keyring';
import { actAs, createCopilot, createUser } from '@/test/factories';
import { createHeaderAction, updateHeaderAction } from './actions';
import { loadDashboardHeaders } from '@/core/headers/stored';

const v1 = randomBytes(32).toString('base64');
const v2 = randomBytes(32).toString('base64');

function useKeyring(keys: string) {
  vi.stubEnv('ENCRYPTION_KEYS', keys);
  resetKeyringCache();
}

afterAll(() => {
  vi.unstubAllEnvs();
  resetKeyringCache();
});

describe('[rotation-leaves-values-readable]: a master-key rotation stopped half-way leaves every value readable', () => {
  it('rows under the old and the new key version decrypt side by side; dropping the old key too early fails loudly', async () => {
    useKeyring(`1:${v1}`);
    const admin = await createUser();
    const { id: copilotId } = await createCopilot(admin);
    await actAs(admin);
    const values = ['old-key-value-aaaa-0001', 'old-key-value-bbbb-0002'];
    const ids: string[] = [];
    for (const [i, value] of values.entries()) {
      const r = await createHeaderAction({ copilotId, kind: 'api_key', name: `X-Key-${i}`, value, allowWidgetOverride: false });
      if (!r.ok) throw new Error('setup failed');
      ids.push(r.data.id);
    }

    // Rotation starts: version 2 becomes current; one row is re-encrypted, the other is not yet.
    useKeyring(`1:${v1},2:${v2}`);
    await updateHeaderAction({ copilotId, headerId: ids[0]!, expectedVersion: 1, kind: 'api_key', name: 'X-Key-0', value: 'new-key-value-cccc-0003', allowWidgetOverride: false });
    const db = await getDb();
    const versions = await Promise.all(ids.map(async (id) => (await db.select({ v: globalHeaders.keyVersion }).from(globalHeaders).where(eq(globalHeaders.id, id)))[0]!.v));
    expect(versions).toEqual([2, 1]);
    const readable = await loadDashboardHeaders(db, { copilotId });
    expect(readable.map((h) => h.value).sort()).toEqual(['new-key-value-cccc-0003', 'old-key-value-bbbb-0002']);

    // Retiring version 1 while a row still uses it is an error that names the problem, not garbage.
    useKeyring(`2:${v2}`);
    const failure = await loadDashboardHeaders(db, { copilotId }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DecryptionError);
    expect((failure as DecryptionError).code).toBe('unknown_key_version');
    expect((failure as Error).message).not.toContain('old-key-value');
  });
});
