import 'server-only';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Executor, Tx } from '@/db/client';
import { globalHeaders } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record';
import type { HeaderKind } from './schema';
import { describeHeaderScope } from './scope';
import { sealHeaderValue } from './seal';

/** Serialises header writes per copilot, so the 100-header limit and name uniqueness hold under concurrency. */
export async function lockCopilotHeaders(tx: Tx, copilotId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`headers:${copilotId}`}, 0))`);
}

/** Lower-cased names of one environment's headers (names are unique per environment, case-insensitively). */
export async function headerNamesOf(tx: Executor, environmentId: string): Promise<Set<string>> {
  const rows = await tx.select({ name: globalHeaders.name }).from(globalHeaders).where(eq(globalHeaders.environmentId, environmentId));
  return new Set(rows.map((r) => r.name.toLowerCase()));
}

export type NewHeader = {
  name: string;
  kind: HeaderKind;
  /** The exact value to send (`Bearer …` for bearer tokens); encrypted here, never stored in clear. */
  value: string;
  allowWidgetOverride: boolean;
  scopeHost: string | null;
  scopePathPrefix: string | null;
};

/** Encrypts, inserts and audits one header inside the caller's transaction (which holds the copilot's header lock). */
export async function insertHeader(
  tx: Tx,
  {
    copilotId,
    environment,
    user,
    bulk = false,
    copiedFrom,
  }: { copilotId: string; environment: { id: string; name: string }; user: { id: string; email: string }; bulk?: boolean; copiedFrom?: string },
  header: NewHeader,
): Promise<string> {
  const headerId = randomUUID();
  const { ciphertext, keyVersion, preview, fingerprint } = sealHeaderValue({ copilotId, headerId }, header.kind, header.value);
  await tx.insert(globalHeaders).values({
    id: headerId,
    copilotId,
    environmentId: environment.id,
    name: header.name,
    kind: header.kind,
    ciphertext,
    keyVersion,
    preview,
    valueFingerprint: fingerprint,
    allowWidgetOverride: header.allowWidgetOverride,
    scopeHost: header.scopeHost,
    scopePathPrefix: header.scopePathPrefix,
    createdBy: user.id,
    updatedBy: user.id,
    rotatedBy: user.id,
  });
  const details = { kind: header.kind, allowWidgetOverride: header.allowWidgetOverride, scope: describeHeaderScope(header) };
  await recordAudit(
    tx,
    copiedFrom === undefined
      ? { copilotId, actor: user, action: 'header.create', target: header.name, metadata: { ...details, environment: environment.name, ...(bulk ? { bulk: true } : {}) } }
      : // A copy from another environment: one event naming both, so the log says where the value came from.
        { copilotId, actor: user, action: 'header.copy', target: header.name, metadata: { ...details, from: copiedFrom, to: environment.name, outcome: 'created' } },
  );
  return headerId;
}
