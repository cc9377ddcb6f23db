import 'server-only';
import { fail, ok, type ActionResult } from '@/core/action-result';
import { bumpRuntimeGeneration } from '@/core/runtime-generation';
import type { Db, Executor } from '@/db/client';
import { recordAudit } from '@/lib/audit/record';
import { lockHeaderRow } from '@/lib/headers/history';
import { insertHeader, lockCopilotHeaders } from '@/lib/headers/insert';
import { writePendingValue } from '@/lib/headers/rotation/rotation-steps';
import { MAX_HEADERS_PER_ENVIRONMENT } from '@/lib/headers/schema';
import { sealHeaderValue } from '@/lib/headers/seal';
import { copyPlanView, openHeaderValue, planCopy, sealedHeadersOf, type PlannedCopy } from './compare';
import type { copyHeadersSchema, CopyPlan } from './copy-schema';
import { findEnvironment } from './production';
import type { z } from 'zod';

const GONE = 'This environment no longer exists — reload the page.';

type Plan = { plan: PlannedCopy[]; from: { id: string; name: string }; to: { id: string; name: string } };

/**
 * Both environments (each must be this copilot's: another copilot's id looks like an unknown one) and what
 * copying would do; a field error for an unknown environment, a name the source lacks, or too little room.
 */
async function plan(db: Executor, copilotId: string, input: z.output<typeof copyHeadersSchema>): Promise<ActionResult<Plan>> {
  const [from, to] = await Promise.all([
    findEnvironment(db, { copilotId, environmentId: input.fromEnvironmentId }),
    findEnvironment(db, { copilotId, environmentId: input.toEnvironmentId }),
  ]);
  if (!from || !to) return fail(GONE, { ...(from ? {} : { fromEnvironmentId: [GONE] }), ...(to ? {} : { toEnvironmentId: [GONE] }) });
  const [source, target] = await Promise.all([sealedHeadersOf(db, from.id), sealedHeadersOf(db, to.id)]);
  const { plan, missing } = planCopy(copilotId, { from: source, to: target, toName: to.name }, input);
  if (missing.length) return fail('Please fix the highlighted fields.', { names: missing.map((name) => `${from.name} has no header named ${name}`) });
  const creates = plan.filter((p) => p.outcome === 'create').length;
  if (target.length + creates > MAX_HEADERS_PER_ENVIRONMENT) {
    return fail('Please fix the highlighted fields.', { names: [`That is ${creates} new headers, but ${to.name} has room for ${MAX_HEADERS_PER_ENVIRONMENT - target.length} more (at most ${MAX_HEADERS_PER_ENVIRONMENT})`] });
  }
  return ok({ plan, from, to });
}

type CopyInput = z.output<typeof copyHeadersSchema>;

/** Copy, step 1: what copying would do — created, staged, skipped or in conflict, and why. Writes nothing; no value comes back. */
export async function previewCopy(db: Executor, copilotId: string, input: CopyInput): Promise<ActionResult<CopyPlan>> {
  const planned = await plan(db, copilotId, input);
  if (!planned.ok) return planned;
  return ok(copyPlanView(planned.data.plan, { from: planned.data.from.name, to: planned.data.to.name }));
}

/**
 * Copy, step 2, in one transaction: each value is decrypted with the source header's binding and sealed for the
 * target header's, on the server. A name the target already has is refused (field error naming it) unless
 * `existing` is `stage`, which saves the value as the target's pending value (test → promote). One audit event
 * per header, naming both environments and never the value.
 */
export async function copyHeaders(db: Db, { copilotId, user }: { copilotId: string; user: { id: string; email: string } }, input: CopyInput) {
  return db.transaction(async (tx): Promise<ActionResult<{ created: number; staged: number; skipped: number }>> => {
    await lockCopilotHeaders(tx, copilotId);
    const planned = await plan(tx, copilotId, input);
    if (!planned.ok) return planned;
    const { from, to } = planned.data;
    const conflicts = planned.data.plan.filter((p) => p.outcome === 'conflict');
    if (conflicts.length) {
      return fail(`Nothing was copied: ${to.name} already has ${conflicts.map((c) => c.name).join(', ')}.`, { names: conflicts.map((c) => `${c.name}: ${c.reason}`) });
    }
    const now = new Date();
    let created = 0;
    let staged = 0;
    for (const step of planned.data.plan) {
      const { source, target } = step;
      if (step.outcome === 'create') {
        const value = openHeaderValue(copilotId, source);
        const header = { name: source.name, kind: source.kind, value, allowWidgetOverride: source.allowWidgetOverride, scopeHost: source.scopeHost, scopePathPrefix: source.scopePathPrefix };
        await insertHeader(tx, { copilotId, environment: to, user, copiedFrom: from.name }, header);
        created++;
      } else if (step.outcome === 'stage' && target) {
        const locked = await lockHeaderRow(tx, { copilotId, headerId: target.id });
        if (!locked) continue;
        const sealed = sealHeaderValue({ copilotId, headerId: locked.id }, locked.kind, openHeaderValue(copilotId, source));
        const version = await writePendingValue(tx, locked, sealed, { userId: user.id, now });
        await recordAudit(tx, { copilotId, actor: user, action: 'header.copy', target: locked.name, metadata: { from: from.name, to: to.name, outcome: 'staged', kind: locked.kind, version } });
        staged++;
      }
    }
    if (created) await bumpRuntimeGeneration(tx, { copilotId });
    return ok({ created, staged, skipped: planned.data.plan.length - created - staged });
  });
}
