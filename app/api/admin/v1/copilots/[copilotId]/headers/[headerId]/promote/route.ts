import { promoteViaApi } from '@/lib/admin-api/headers';
import { adminApiHandler } from '@/lib/admin-api/respond';

export const dynamic = 'force-dynamic';

/** The staged value becomes current (rotation step 2); runtimes reload. */
export const POST = adminApiHandler<{ copilotId: string; headerId: string }>('headers:write', promoteViaApi);
