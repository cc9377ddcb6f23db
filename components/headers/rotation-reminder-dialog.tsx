'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { HeaderListItem } from '@/lib/headers/queries';
import { useRowDialogOpen, type RowDialogProps } from './row-dialog';
import { setRotationReminderAction } from '@/lib/headers/rotation/rotation-actions';
import { MAX_ROTATION_DAYS, ROTATION_PRESETS, rotationReminderSchema } from '@/lib/headers/rotation/rotation-schema';

type Choice = 'none' | 'custom' | `${(typeof ROTATION_PRESETS)[number]}`;

function choiceOf(days: number | null): Choice {
  if (days === null) return 'none';
  return (ROTATION_PRESETS as readonly number[]).includes(days) ? (String(days) as Choice) : 'custom';
}

/** "Rotate every N days": 30/60/90 or a custom number; overdue headers get a badge and are listed on the home page. */
export function RotationReminderDialog({ copilotId, header, defaultOpen = false, fromMenu }: { copilotId: string; header: HeaderListItem } & RowDialogProps) {
  const router = useRouter();
  const [open, setOpen] = useRowDialogOpen(defaultOpen, fromMenu);
  const [choice, setChoice] = useState<Choice>(choiceOf(header.rotationDays));
  const [custom, setCustom] = useState(String(header.rotationDays ?? 180));
  const [error, setError] = useState<string | undefined>();
  const save = useActionMutation(setRotationReminderAction, {
    success: 'Rotation reminder saved',
    onSuccess: () => {
      setOpen(false);
      router.refresh();
    },
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setChoice(choiceOf(header.rotationDays));
        setError(undefined);
      }}
    >
      {fromMenu ? null : (
        <DialogTrigger asChild>
          <Button variant="ghost" size="sm" aria-label={`Rotation reminder for ${header.name}`}>
            Reminder
          </Button>
        </DialogTrigger>
      )}
      <DialogContent title={`Rotation reminder for ${header.name}`} description="Counted from when the current value was set. Overdue credentials are flagged here and listed on the Copilots page.">
        <form
          method="post"
          className="space-y-4"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const rotationDays = choice === 'none' ? null : choice === 'custom' ? Number(custom) : Number(choice);
            const parsed = rotationReminderSchema.safeParse({ copilotId, headerId: header.id, expectedVersion: header.version, rotationDays });
            if (!parsed.success) {
              setError(parsed.error.issues[0]?.message);
              return;
            }
            setError(undefined);
            save.mutate(parsed.data);
          }}
        >
          <Field label="Rotate every">
            <Select value={choice} onChange={(e) => setChoice(e.target.value as Choice)}>
              <option value="none">No reminder</option>
              {ROTATION_PRESETS.map((days) => (
                <option key={days} value={String(days)}>
                  {days} days
                </option>
              ))}
              <option value="custom">Custom…</option>
            </Select>
          </Field>
          {choice === 'custom' ? (
            <Field label="Days" hint={`A whole number from 1 to ${MAX_ROTATION_DAYS}.`} error={error}>
              <Input type="number" inputMode="numeric" min={1} max={MAX_ROTATION_DAYS} value={custom} onChange={(e) => setCustom(e.target.value)} />
            </Field>
          ) : error ? (
            <p role="alert" className="text-sm text-red-600">
              {error}
            </p>
          ) : null}
          <DialogFormActions submitLabel="Save reminder" pending={save.isPending} onCancel={() => setOpen(false)} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
