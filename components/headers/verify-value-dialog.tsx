'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useActionMutation } from '@/components/forms/use-action-mutation';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { formatUtc } from '@/components/ui/time';
import type { HeaderListItem } from '@/lib/headers/queries';
import { useRowDialogOpen, type RowDialogProps } from './row-dialog';
import { verifyValueSchema, type VerifyOutcome, type VerifyValueInput } from '@/lib/headers/rotation/rotation-schema';
import { verifyHeaderValueAction } from '@/lib/headers/rotation/verify-value-action';

function describe(outcome: VerifyOutcome): { text: string; tone: string } {
  switch (outcome.match) {
    case 'current':
      return { text: 'Matches the current value.', tone: 'border-emerald-200 bg-emerald-50 text-emerald-900' };
    case 'pending':
      return { text: 'Matches the pending value (not in use yet).', tone: 'border-indigo-200 bg-indigo-50 text-indigo-900' };
    case 'previous':
      return { text: `Matches an earlier value: version ${outcome.valueNumber}, replaced ${formatUtc(new Date(outcome.retiredAt))}.`, tone: 'border-amber-200 bg-amber-50 text-amber-900' };
    case 'none':
      return { text: 'Matches no current, pending or kept earlier value.', tone: 'border-slate-200 bg-slate-50 text-slate-800' };
  }
}

/** Verify by paste: compare a candidate with the stored values by fingerprint; nothing is revealed or kept. */
export function VerifyValueDialog({ copilotId, header, defaultOpen = false, fromMenu }: { copilotId: string; header: HeaderListItem } & RowDialogProps) {
  const [open, setOpen] = useRowDialogOpen(defaultOpen, fromMenu);
  const [outcome, setOutcome] = useState<VerifyOutcome | null>(null);
  const form = useForm<VerifyValueInput>({ resolver: zodResolver(verifyValueSchema), defaultValues: { copilotId, headerId: header.id, candidate: '' } });
  const verify = useActionMutation(verifyHeaderValueAction, {
    form,
    onSuccess: (data) => {
      setOutcome(data);
      form.reset({ copilotId, headerId: header.id, candidate: '' });
    },
  });
  // A stored value never starts or ends with a space (HTTP drops them), so spaces or a pasted line break around the
  // candidate are ignored — and the hint says so rather than promising an exact comparison.
  const hint = `${header.kind === 'bearer' ? 'The token, with or without "Bearer ".' : header.kind === 'basic' ? 'username:password, or the full "Basic …" value.' : 'The value as sent.'} Spaces and line breaks around it are ignored.`;
  const result = outcome ? describe(outcome) : null;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setOutcome(null);
        form.reset({ copilotId, headerId: header.id, candidate: '' });
      }}
    >
      {fromMenu ? null : (
        <DialogTrigger asChild>
          <Button variant="ghost" size="sm" aria-label={`Verify a value for ${header.name}`}>
            Verify
          </Button>
        </DialogTrigger>
      )}
      <DialogContent
        title={`Is this the value of ${header.name}?`}
        description="Paste a value to learn whether it is the current, the pending or a kept earlier value. It is compared by keyed fingerprint, never stored or logged; checks are limited and recorded in the audit log."
      >
        <form method="post" onSubmit={form.handleSubmit((values) => verify.mutate(values))} className="space-y-4" noValidate>
          <Field label="Value to check" hint={hint} error={form.formState.errors.candidate?.message}>
            <Input type="password" autoComplete="off" spellCheck={false} {...form.register('candidate')} />
          </Field>
          {result ? (
            <p role="status" className={`rounded-md border p-3 text-sm ${result.tone}`} data-testid="verify-result">
              {result.text}
            </p>
          ) : null}
          <DialogFormActions submitLabel="Check" pending={verify.isPending} onCancel={() => setOpen(false)} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
