// Preview grants: how the dashboard's Preview tab talks to the chat endpoint (docs/widget.md, "Preview").
// The dashboard's own origin is never added to a copilot's allowed widget origins. Instead the preview
// page, rendered for a signed-in admin, mints a short-lived grant that takes the place of the widget token:
//   pv_<base64url( version ‖ copilot id ‖ user id ‖ session id ‖ expiry ‖ HMAC )>
// The HMAC (a key derived from the keyring, nothing stored) also covers the dashboard's public origin,
// which is not in the grant: the endpoint recomputes it with the request's Origin, so a grant works only
// from the page it was made for. On every request the endpoint also checks that the session is still
// live and its user still an admin of the copilot: signing out or losing the role ends the preview.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Executor } from '@/db/client';
import { memberships, userSessions, users } from '@/db/schema';
import { derivedKey, type Keyring } from '@/core/crypto/keyring';

export const PREVIEW_GRANT_PREFIX = 'pv_';
/** Long enough for a conversation; the Preview tab fetches a fresh grant well before this runs out. */
export const PREVIEW_GRANT_TTL_SECONDS = 15 * 60;

const VERSION = 1;
const UUID_BYTES = 16;
const MAC_BYTES = 16;
const PAYLOAD_BYTES = 1 + 3 * UUID_BYTES + 4;
const KEY_LABEL = 'copilot-headers:preview-grant';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type PreviewGrantClaims = { copilotId: string; userId: string; sessionId: string; expiresAt: Date };
export type PreviewGrantCheck = { ok: true; claims: PreviewGrantClaims } | { ok: false; reason: 'invalid' | 'expired' };

export function isPreviewGrant(token: string): boolean {
  return token.startsWith(PREVIEW_GRANT_PREFIX);
}

function uuidBytes(id: string): Buffer {
  if (!UUID.test(id)) throw new TypeError('Preview grants carry UUIDs only.');
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function uuidString(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function mac(payload: Buffer, origin: string, keyring?: Keyring): Buffer {
  const originBytes = Buffer.from(origin, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(originBytes.length);
  return createHmac('sha256', derivedKey(KEY_LABEL, keyring)).update(payload).update(length).update(originBytes).digest().subarray(0, MAC_BYTES);
}

/** A grant for `userId` (in session `sessionId`) to preview `copilotId` from the page at `origin`. */
export function mintPreviewGrant(
  { copilotId, userId, sessionId, origin }: { copilotId: string; userId: string; sessionId: string; origin: string },
  { now = Date.now(), ttlSeconds = PREVIEW_GRANT_TTL_SECONDS, keyring }: { now?: number; ttlSeconds?: number; keyring?: Keyring } = {},
): { grant: string; expiresAt: Date } {
  const expires = Math.floor(now / 1000) + ttlSeconds;
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  uuidBytes(copilotId).copy(payload, 1);
  uuidBytes(userId).copy(payload, 1 + UUID_BYTES);
  uuidBytes(sessionId).copy(payload, 1 + 2 * UUID_BYTES);
  payload.writeUInt32BE(expires, 1 + 3 * UUID_BYTES);
  const grant = PREVIEW_GRANT_PREFIX + Buffer.concat([payload, mac(payload, origin, keyring)]).toString('base64url');
  return { grant, expiresAt: new Date(expires * 1000) };
}

/** Checks a grant against the request's Origin: forged, altered or from another page → invalid. */
export function verifyPreviewGrant(token: string, origin: string | undefined, { now = Date.now(), keyring }: { now?: number; keyring?: Keyring } = {}): PreviewGrantCheck {
  if (!origin || !isPreviewGrant(token)) return { ok: false, reason: 'invalid' };
  const raw = Buffer.from(token.slice(PREVIEW_GRANT_PREFIX.length), 'base64url');
  if (raw.length !== PAYLOAD_BYTES + MAC_BYTES || raw.readUInt8(0) !== VERSION) return { ok: false, reason: 'invalid' };
  const payload = raw.subarray(0, PAYLOAD_BYTES);
  if (!timingSafeEqual(raw.subarray(PAYLOAD_BYTES), mac(payload, origin, keyring))) return { ok: false, reason: 'invalid' };
  const expiresAt = new Date(payload.readUInt32BE(1 + 3 * UUID_BYTES) * 1000);
  if (expiresAt.getTime() <= now) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    claims: {
      copilotId: uuidString(payload.subarray(1, 1 + UUID_BYTES)),
      userId: uuidString(payload.subarray(1 + UUID_BYTES, 1 + 2 * UUID_BYTES)),
      sessionId: uuidString(payload.subarray(1 + 2 * UUID_BYTES, 1 + 3 * UUID_BYTES)),
      expiresAt,
    },
  };
}

/**
 * Whether the grant's holder may still preview: the session is live (not ended, not expired, account not
 * disabled) and the user is an admin or owner of the copilot, or an instance admin. One query.
 */
export async function previewGrantHolderIsAdmin(db: Executor, claims: PreviewGrantClaims, now = new Date()): Promise<boolean> {
  const [row] = await db
    .select({ instanceAdmin: users.instanceAdmin, role: memberships.role })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.copilotId, claims.copilotId)))
    .where(and(eq(userSessions.id, claims.sessionId), eq(userSessions.userId, claims.userId), isNull(userSessions.revokedAt), isNull(users.disabledAt), gt(userSessions.expiresAt, now)));
  if (!row) return false;
  return row.instanceAdmin || row.role === 'owner' || row.role === 'admin';
}
