import { AUDIT_CSV_COLUMNS, auditCsvRow, csvRow } from '@/lib/audit/csv';
import { iterateAuditEvents } from '@/lib/audit/queries';
import { auditFilterSchema } from '@/lib/audit/schema';
import { AuthError, requireCopilotRole } from '@/lib/auth/guard';

const PLAIN = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };

/**
 * The filtered audit log as CSV, streamed newest first. A route handler is a public endpoint: it
 * authenticates and checks the viewer role itself; an unknown copilot answers like a forbidden one.
 */
export async function GET(request: Request, { params }: { params: Promise<{ copilotId: string }> }) {
  const { copilotId } = await params;
  let ctx;
  try {
    ctx = await requireCopilotRole(copilotId, 'viewer');
  } catch (error) {
    if (error instanceof AuthError) {
      return error.code === 'unauthenticated' ? new Response('Sign in first.\n', { status: 401, headers: PLAIN }) : new Response('Not found.\n', { status: 404, headers: PLAIN });
    }
    throw error;
  }
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = auditFilterSchema.safeParse(query);
  if (!parsed.success) return new Response(`Invalid filter: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n`, { status: 400, headers: PLAIN });

  const events = iterateAuditEvents(ctx.db, { copilotId: ctx.copilotId, filter: parsed.data });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\uFEFF${csvRow([...AUDIT_CSV_COLUMNS])}`));
    },
    async pull(controller) {
      const next = await events.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value.map(auditCsvRow).join('')));
    },
    async cancel() {
      await events.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="audit-${ctx.copilotId.slice(0, 8)}-${day}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
