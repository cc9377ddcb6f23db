'use client';

import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { useReauth } from '@/components/auth/reauth-provider';
import { toast } from '@/components/ui/toast';
import { isReauthRequired, type ActionFailure, type ActionResult } from '@/core/action-result';
import { useSubmit } from './use-submit';

/**
 * Submits a server action (through ./use-submit: pending state, latest result) and maps its typed
 * result onto a form: field errors go inline with `setError` (react-hook-form's, or anything with its
 * signature), the summary goes to a toast. When the server answers `reauth_required` (sudo mode), it
 * asks for the password and sends the same input once more.
 */
export function useActionMutation<I, T, F extends FieldValues = FieldValues>(
  action: (input: I) => Promise<ActionResult<T>>,
  options: {
    form?: { setError: UseFormSetError<F> };
    success?: string | ((data: T) => string | null);
    onSuccess?: (data: T) => void;
    /** Someone else changed the record: the error toast gets a "Reload" button that calls this. */
    onStale?: () => void;
    onFailure?: (failure: ActionFailure) => void;
  } = {},
) {
  const reauth = useReauth();
  return useSubmit({
    mutationFn: async (input: I) => {
      const result = await action(input);
      if (!isReauthRequired(result) || !reauth || !(await reauth())) return result;
      return action(input);
    },
    onSuccess(result) {
      if (!result.ok) {
        const fieldErrors = Object.entries(result.fieldErrors ?? {});
        for (const [field, messages] of fieldErrors) {
          // Every message, not just the first: Field shows them one per line (errorMessages).
          if (messages?.[0] && options.form && field !== 'form') {
            options.form.setError(field as Path<F>, { type: 'server', message: messages[0], types: Object.fromEntries(messages.map((m, i) => [`server${i}`, m])) });
          }
        }
        const summary = fieldErrors.length && options.form ? result.message : (result.fieldErrors?.form?.[0] ?? result.message);
        const onStale = options.onStale;
        if (result.code === 'stale' && onStale) toast.error(summary, { action: { label: 'Reload', onClick: onStale }, duration: 15_000 });
        else toast.error(summary);
        options.onFailure?.(result);
        return;
      }
      const message = typeof options.success === 'function' ? options.success(result.data) : options.success;
      if (message) toast.success(message);
      options.onSuccess?.(result.data);
    },
    onError() {
      toast.error("That didn't work: your session may have ended or you lack permission. Reload and try again.");
    },
  });
}
