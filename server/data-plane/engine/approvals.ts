// "Ask the user first" (docs/widget.md, "Approvals"): a call the model wants to make to such an operation is
// held back. The user is shown the request; their approval is bound to a hash of exactly that request
// (copilot, method, URL with query, body, expiry), so a page or a prompt injection that changes an argument
// or edits the transcript gets a refusal, not a different call. One row per held call, decided at most once
// by a single conditional UPDATE: a replay, or two instances racing, sends nothing a second time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull, gt, lt } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { approvals } from '@/db/schema';
import type { UpstreamRequest } from '@/core/upstream/types';

/** How long the user has to decide. */
export const APPROVAL_TTL_MS = 2 * 60_000;
/** Decided and expired rows are kept this long (a late click still gets "used" or "expired"), then pruned. */
const KEEP_DECIDED_MS = 24 * 60 * 60_000;

export type ApprovalDecision = 'approve' | 'deny';
export type ApprovalRefusal = 'approval_unknown' | 'approval_used' | 'approval_expired' | 'approval_mismatch';

export const APPROVAL_REFUSAL_MESSAGES: Record<ApprovalRefusal, string> = {
  approval_unknown: 'This approval is not known (it may belong to another assistant). Nothing was sent. Ask again.',
  approval_used: 'This request was already approved or declined once. Nothing was sent again.',
  approval_expired: 'This approval expired before it was answered. Nothing was sent. Ask again.',
  approval_mismatch: 'The request to approve is not the one you were shown (the conversation or its arguments changed). Nothing was sent.',
};

export type ApprovalStore = {
  /** Records a held call; returns the id and expiry the user is shown. */
  hold(copilotId: string, request: UpstreamRequest): Promise<{ id: string; expiresAt: Date }>;
  /** Settles a held call if `request` is the one it was bound to, unused and unexpired; otherwise why not. */
  decide(copilotId: string, id: string, request: UpstreamRequest, decision: ApprovalDecision): Promise<{ ok: true } | { ok: false; reason: ApprovalRefusal }>;
};

/** SHA-256 over the request as it would be sent; JSON keeps the fields apart (no "ab"+"c" = "a"+"bc"). */
function requestHash(copilotId: string, request: UpstreamRequest, expiresAt: Date): string {
  const fields = [copilotId, request.method.toUpperCase(), request.url, request.body ?? '', expiresAt.toISOString()];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export function approvalStore(db: Executor): ApprovalStore {
  return {
    async hold(copilotId, request) {
      const now = new Date();
      // Milliseconds only: what the database stores is what the hash is recomputed with.
      const expiresAt = new Date(now.getTime() + APPROVAL_TTL_MS);
      await db.delete(approvals).where(and(eq(approvals.copilotId, copilotId), lt(approvals.expiresAt, new Date(now.getTime() - KEEP_DECIDED_MS))));
      const [row] = await db.insert(approvals).values({ copilotId, requestHash: requestHash(copilotId, request, expiresAt), expiresAt }).returning({ id: approvals.id });
      return { id: row!.id, expiresAt };
    },

    async decide(copilotId, id, request, decision) {
      const now = new Date();
      const [row] = await db
        .select({ requestHash: approvals.requestHash, expiresAt: approvals.expiresAt, decidedAt: approvals.decidedAt })
        .from(approvals)
        .where(and(eq(approvals.id, id), eq(approvals.copilotId, copilotId)));
      if (!row) return { ok: false, reason: 'approval_unknown' };
      if (row.decidedAt) return { ok: false, reason: 'approval_used' };
      if (row.expiresAt <= now) return { ok: false, reason: 'approval_expired' };
      const hash = requestHash(copilotId, request, row.expiresAt);
      if (!sameHash(hash, row.requestHash)) return { ok: false, reason: 'approval_mismatch' };
      // The one decision: whoever's UPDATE finds the row undecided wins; everyone else was a replay.
      const settled = await db
        .update(approvals)
        .set({ decidedAt: now, decision })
        .where(and(eq(approvals.id, id), eq(approvals.copilotId, copilotId), eq(approvals.requestHash, hash), isNull(approvals.decidedAt), gt(approvals.expiresAt, now)))
        .returning({ id: approvals.id });
      return settled.length ? { ok: true } : { ok: false, reason: 'approval_used' };
    },
  };
}
