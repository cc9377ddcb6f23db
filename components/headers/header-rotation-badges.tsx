import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import type { HeaderListItem } from '@/lib/headers/queries';
import { rotationDueAt } from '@/lib/headers/rotation/rotation-due';
import { RotationDueBadge } from './rotation-due-badge';

/** Pending rotation, reminder due/overdue: shown under the header's name. */
export function HeaderRotationBadges({ header, now }: { header: HeaderListItem; now: Date }) {
  const due = rotationDueAt(header);
  return (
    <>
      {header.pendingPreview ? (
        <Badge tone="info" className="whitespace-nowrap" data-testid="pending-badge">
          new value pending
        </Badge>
      ) : null}
      {due && header.rotationDays !== null ? <RotationDueBadge due={due} rotationDays={header.rotationDays} serverNow={now} /> : null}
    </>
  );
}

/** "N × 401/403 since rotation": a link to the test request, pre-filled for this header. */
export function MayBeRevokedBadge({ header }: { header: HeaderListItem }) {
  if (header.authFailuresSinceRotation === 0) return null;
  return (
    <Link href={`?test=${header.id}#test-request`} scroll={false} className="mt-1 inline-block rounded-full focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500" data-testid="may-be-revoked">
      <Badge tone="danger" className="underline decoration-dotted underline-offset-2">
        {header.authFailuresSinceRotation} × 401/403 since rotation — may be revoked · test it
      </Badge>
    </Link>
  );
}
