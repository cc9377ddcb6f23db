import { testPendingViaApi } from '@/lib/admin-api/headers';
import { adminApiHandler } from '@/lib/admin-api/respond';

export const dynamic = 'force-dynamic';

/** One request to the copilot's API with the staged value; answers the status and which headers were sent. */
export const POST = adminApiHandler<{ copilotId: string; headerId: string }>('headers:write', testPendingViaApi);
