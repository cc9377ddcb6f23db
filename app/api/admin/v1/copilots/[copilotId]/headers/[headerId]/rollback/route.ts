import { rollbackViaApi } from '@/lib/admin-api/headers';
import { adminApiHandler } from '@/lib/admin-api/respond';

export const dynamic = 'force-dynamic';

/** Make an earlier value (`toVersion`) current again; runtimes reload. */
export const POST = adminApiHandler<{ copilotId: string; headerId: string }>('headers:write', rollbackViaApi);
