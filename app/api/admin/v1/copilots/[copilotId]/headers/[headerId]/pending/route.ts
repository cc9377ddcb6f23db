import { cancelViaApi, stageViaApi } from '@/lib/admin-api/headers';
import { adminApiHandler } from '@/lib/admin-api/respond';

export const dynamic = 'force-dynamic';

type Params = { copilotId: string; headerId: string };

/** Stage a new value (rotation step 1); the runtime keeps sending the current one. */
export const POST = adminApiHandler<Params>('headers:write', stageViaApi);

/** Discard the staged value. */
export const DELETE = adminApiHandler<Params>('headers:write', cancelViaApi);
