// What a sealed session and a signed identity token change in one chat turn (the session's headers and the
// verified user replace what the page sent), and the copilot's policy: with "require a sealed session or a
// verified identity", a turn with neither, or with raw headers, is refused.
import type { ChatRequest } from '@/server/data-plane/engine/chat-schema';
import type { NetworkPolicy } from '@/core/upstream/types';
import { verifyIdentityToken, type IdentityRefusal, type IdentitySettings } from './identity-token';
import { unsealSession, type SessionCopilot, type SessionRefusal, type SessionUser } from './sealed-session';

/**
 * Why a turn can't go ahead under the copilot's policy: no session or identity where one is required, raw
 * headers beside it, or a session and an identity token naming different users.
 */
export type PolicyRefusal = 'session_required' | 'raw_headers_refused' | 'identity_user_mismatch';

export const SESSION_REFUSAL_MESSAGES: Record<SessionRefusal, string> = {
  session_expired: 'This sign-in session has expired: the page needs to give the assistant a new one.',
  session_revoked: "This sign-in session was ended by the assistant's admin: the page needs to give the assistant a new one.",
  session_invalid: 'This sign-in session is not valid: it was altered, or not issued by this service.',
  session_wrong_copilot: 'This sign-in session was issued for another assistant.',
};

export const POLICY_REFUSAL_MESSAGES: Record<PolicyRefusal, string> = {
  session_required: "This assistant needs a verified user: the page needs to pass a sealed `session` or a signed `identityToken` from the site's backend.",
  raw_headers_refused: 'This assistant takes per-user headers only from a sealed session: leave out `headers`.',
  identity_user_mismatch: "The sealed session and the identity token are for different users: the page needs to pass the same user's.",
};

/**
 * The turn's request with the session opened and the identity token verified. On a name clash
 * (case-insensitive) the session's header wins over the page's raw one; the verified user (the session's,
 * or the identity token's `sub`, `name`, `email`) replaces the page's. With both, the session's user id and
 * the token's `sub` must be the same, or the turn is refused. Without either, as sent (no verified user).
 * The dashboard's headers still win over all of them when the upstream call merges them.
 */
export async function verifiedTurn(
  request: ChatRequest,
  copilot: SessionCopilot & { sessionRequired: boolean; identity: IdentitySettings },
  { preview = false, network, jwksCooldownMs }: { preview?: boolean; network: NetworkPolicy; jwksCooldownMs?: number },
): Promise<{ ok: true; request: ChatRequest; verifiedUser: SessionUser | null } | { ok: false; reason: SessionRefusal | IdentityRefusal | PolicyRefusal }> {
  // The Preview tab (a signed-in admin's own test headers) is exempt from the policy.
  if (copilot.sessionRequired && !preview) {
    if (request.session === undefined && request.identityToken === undefined) return { ok: false, reason: 'session_required' };
    if (request.headers && Object.keys(request.headers).length > 0) return { ok: false, reason: 'raw_headers_refused' };
  }
  const { identityToken, ...rest } = request;
  let turn: ChatRequest = rest;
  let verifiedUser: SessionUser | null = null;
  if (rest.session !== undefined) {
    const opened = unsealSession(rest.session, copilot);
    if (!opened.ok) return opened;
    const sealed = opened.contents.headers;
    const sealedNames = new Set(Object.keys(sealed).map((name) => name.toLowerCase()));
    const raw = Object.entries(rest.headers ?? {}).filter(([name]) => !sealedNames.has(name.toLowerCase()));
    verifiedUser = opened.contents.user;
    turn = { messages: rest.messages, headers: { ...Object.fromEntries(raw), ...sealed }, user: verifiedUser };
  }
  if (identityToken !== undefined) {
    const identity = await verifyIdentityToken(identityToken, copilot, { network, jwksCooldownMs });
    if (!identity.ok) return identity;
    if (verifiedUser && verifiedUser.id !== identity.user.id) return { ok: false, reason: 'identity_user_mismatch' };
    verifiedUser ??= identity.user;
    turn = { ...turn, user: verifiedUser };
  }
  return { ok: true, request: turn, verifiedUser };
}
