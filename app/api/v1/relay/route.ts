import { relay } from '@/core/runtime/relay';
import { MAX_RELAY_BODY_BYTES, relayBodySchema } from '@/core/runtime/relay-schema';
import { serverKeyRoute } from '@/core/runtime/server-key-route';

/**
 * Runtime API for copilot engines: `POST /api/v1/relay` with `Authorization: Bearer chsk_…`.
 * Body `{ request: { method, url, headers?, body? }, widgetHeaders? }`; see lib/runtime/relay.ts.
 * Other methods get Next's 405.
 */
export const POST = serverKeyRoute(relayBodySchema, relay, { maxBodyBytes: MAX_RELAY_BODY_BYTES });
