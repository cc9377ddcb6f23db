'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

export type MutateCallbacks<I, R> = {
  onSuccess?: (data: R, input: I) => void;
  onError?: (error: unknown, input: I) => void;
  onSettled?: (data: R | undefined, error: unknown, input: I) => void;
};

type State<I, R> = { isPending: boolean; data: R | undefined; variables: I | undefined };

/**
 * An asynchronous call started from a button or a form: `mutate` runs `mutationFn`; `isPending`, `data`
 * and `variables` describe the latest call. The hook's callbacks run first, then the ones given to that
 * `mutate` call. `mutate` reports a failure through `onError`; `mutateAsync` rejects with it too. (The
 * part of React Query's useMutation the dashboard uses, without its cache: a page that only submits forms
 * needs no QueryClient. Named apart from it so an import never picks the wrong one.)
 */
export function useSubmit<I = void, R = unknown>(options: { mutationFn: (input: I) => Promise<R> } & MutateCallbacks<I, R>) {
  const [state, setState] = useState<State<I, R>>({ isPending: false, data: undefined, variables: undefined });
  // The latest render's callbacks: a call that settles after a re-render uses the current ones.
  const latestOptions = useRef(options);
  useEffect(() => {
    latestOptions.current = options;
  });
  const lastCall = useRef(0);

  const mutateAsync = useCallback(async (input: I, callbacks: MutateCallbacks<I, R> = {}): Promise<R> => {
    const call = ++lastCall.current;
    const isLatest = () => call === lastCall.current;
    setState({ isPending: true, data: undefined, variables: input });
    let data: R;
    try {
      data = await latestOptions.current.mutationFn(input);
    } catch (error) {
      if (isLatest()) setState({ isPending: false, data: undefined, variables: input });
      latestOptions.current.onError?.(error, input);
      latestOptions.current.onSettled?.(undefined, error, input);
      callbacks.onError?.(error, input);
      callbacks.onSettled?.(undefined, error, input);
      throw error;
    }
    if (isLatest()) setState({ isPending: false, data, variables: input });
    latestOptions.current.onSuccess?.(data, input);
    latestOptions.current.onSettled?.(data, null, input);
    callbacks.onSuccess?.(data, input);
    callbacks.onSettled?.(data, null, input);
    return data;
  }, []);

  const mutate = useCallback(
    (input: I, callbacks?: MutateCallbacks<I, R>) => {
      // The failure already went to onError.
      mutateAsync(input, callbacks).catch(() => undefined);
    },
    [mutateAsync],
  );

  return { ...state, mutate, mutateAsync };
}
