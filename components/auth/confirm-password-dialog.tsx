'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { KeyRound, ShieldCheck } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Dialog, DialogContent, DialogFormActions } from '@/components/ui/dialog';
import { answerWithPasskey } from '@/components/passkeys/passkey-ceremony';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toast';
import { confirmPasswordAction } from '@/lib/auth/account-actions';
import { confirmWithPasskeyAction, startPasskeyConfirmAction } from '@/lib/passkeys/actions';
import { confirmPasswordSchema, type ConfirmPasswordInput } from '@/lib/auth/schema';

export function ConfirmPasswordDialog({ open, onDone }: { open: boolean; onDone: (confirmed: boolean) => void }) {
  const form = useForm<ConfirmPasswordInput>({ resolver: zodResolver(confirmPasswordSchema), defaultValues: { password: '' } });
  const [pending, setPending] = useState(false);
  const [passkeyPending, setPasskeyPending] = useState(false);

  // Not useActionMutation: that hook retries through this dialog, and this action never asks for it.
  async function submit(values: ConfirmPasswordInput) {
    setPending(true);
    try {
      const result = await confirmPasswordAction(values);
      if (result.ok) {
        form.reset({ password: '' });
        onDone(true);
      } else {
        form.setError('password', { message: result.fieldErrors?.password?.[0] ?? result.message });
      }
    } catch {
      toast.error('Your session has ended. Sign in again.');
      onDone(false);
    } finally {
      setPending(false);
    }
  }

  async function withPasskey() {
    setPasskeyPending(true);
    try {
      const result = await answerWithPasskey(() => startPasskeyConfirmAction({}), confirmWithPasskeyAction);
      if (result.ok) {
        form.reset({ password: '' });
        onDone(true);
      } else {
        form.setError('password', { message: result.message });
      }
    } catch {
      toast.error('Your session has ended. Sign in again.');
      onDone(false);
    } finally {
      setPasskeyPending(false);
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) {
          form.reset({ password: '' });
          onDone(false);
        }
      }}
    >
      <DialogContent stacked title="Confirm your password" description="This changes where credentials may be sent, or who may send them. For the next 10 minutes you won't be asked again.">
        <ShieldCheck className="absolute right-12 top-5 h-5 w-5 text-indigo-600" aria-hidden />
        <form method="post" onSubmit={form.handleSubmit(submit)} className="space-y-5" noValidate>
          <Field label="Your password" error={form.formState.errors.password?.message}>
            <Input type="password" autoComplete="current-password" autoFocus {...form.register('password')} />
          </Field>
          <DialogFormActions submitLabel="Confirm" pending={pending} onCancel={() => onDone(false)} />
        </form>
        <div className="mt-4 border-t border-slate-200 pt-4">
          <Button type="button" variant="secondary" className="w-full" pending={passkeyPending} onClick={withPasskey}>
            <KeyRound className="h-4 w-4" aria-hidden />
            Use a passkey instead
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
