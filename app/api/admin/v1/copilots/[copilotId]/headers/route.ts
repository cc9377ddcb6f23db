import { listViaApi } from '@/lib/admin-api/headers';
import { adminApiHandler } from '@/lib/admin-api/respond';

export const dynamic = 'force-dynamic';

/** The copilot's headers: names, kinds, masked previews, versions, pending previews. Never a value. */
export const GET = adminApiHandler<{ copilotId: string }>('headers:read-previews', listViaApi);
