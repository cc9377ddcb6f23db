import { admitServerKeyPost } from './server-key-door';
import { readValidJson, sendError, sendFailure, sendJson } from '../http';
import { MAX_SESSION_REQUEST_BYTES, mintSessionSchema } from '../sessions/session-schema';
import { sealSession, SessionTooLargeError } from '../sessions/sealed-session';
import type { RuntimeContext } from '../services';

/** What POST /api/v1/widgets/sessions answers (HTTP 201). */
export type MintedSession = { session: string; expiresAt: string; ttlSeconds: number };

/**
 * POST /api/v1/widgets/sessions: the customer's backend (server key, like relay) seals a user and their
 * headers for the copilot of that key. Nothing is stored: the answer is the only copy. The page passes
 * `session` to the widget instead of raw headers.
 */
export async function widgetSessionsRoute(ctx: RuntimeContext): Promise<void> {
  const { req, res } = ctx;
  try {
    const admitted = admitServerKeyPost(ctx);
    const call = admitted instanceof Promise ? await admitted : admitted;
    if (!call) return;
    const input = await readValidJson(req, res, MAX_SESSION_REQUEST_BYTES, mintSessionSchema);
    if (!input) return;
    const { config } = call;
    const ttlSeconds = input.ttlSeconds ?? config.sessionMaxTtlSeconds;
    if (ttlSeconds > config.sessionMaxTtlSeconds) {
      sendError(req, res, 400, 'invalid_request', 'The request body is invalid; see fieldErrors.', {
        extra: { fieldErrors: { ttlSeconds: [`This copilot's sessions may live at most ${config.sessionMaxTtlSeconds} seconds (General tab → Sealed sessions)`] } },
      });
      return;
    }
    let minted: { session: string; expiresAt: Date };
    try {
      minted = sealSession(config, { user: input.user, headers: input.headers ?? {} }, { ttlSeconds });
    } catch (error) {
      if (!(error instanceof SessionTooLargeError)) throw error;
      sendError(req, res, 400, 'invalid_request', 'The request body is invalid; see fieldErrors.', { extra: { fieldErrors: { headers: [error.message] } } });
      return;
    }
    const answer: MintedSession = { session: minted.session, expiresAt: minted.expiresAt.toISOString(), ttlSeconds };
    sendJson(res, 201, answer);
  } catch (error) {
    sendFailure(req, res, error);
  }
}
