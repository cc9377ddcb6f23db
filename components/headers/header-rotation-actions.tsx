'use client';

import type { HeaderListItem } from '@/lib/headers/queries';
import { HeaderHistoryDialog } from './header-history-dialog';
import { RotateHeaderDialog } from './rotate-header-dialog';
import { RotationReminderDialog } from './rotation-reminder-dialog';
import { VerifyValueDialog } from './verify-value-dialog';

/** The rotation entries of a header row: Rotate (staged), History (rollback), Verify (by paste), Reminder. */
export function HeaderRotationActions({ copilotId, header }: { copilotId: string; header: HeaderListItem }) {
  return (
    <>
      <RotateHeaderDialog copilotId={copilotId} header={header} />
      <HeaderHistoryDialog copilotId={copilotId} header={header} canEdit />
      <VerifyValueDialog copilotId={copilotId} header={header} />
      <RotationReminderDialog copilotId={copilotId} header={header} />
    </>
  );
}
