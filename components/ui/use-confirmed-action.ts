'use client';
// One action behind a ConfirmDialog, asked for by a button (revoke a key, a
// door device or an invitation; remove a member, change a role, leave a team):
// `ask(target, button)` opens the dialog for that target and keeps the button,
// so the focus goes back to it on close; confirming runs the action through an
// ActionController (one Idempotency-Key per attempt, reused by its retries);
// success closes the dialog and reads the page again, or calls `onDone`
// instead (which leaves the page). Spread `dialog` into the ConfirmDialog; `error` is the failure's
// sentence for its Alert.
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { Perform } from '@/lib/actions/action-controller';
import { useActionController } from '@/lib/actions/use-action-controller';
import { useErrorText } from './use-error-text';

export type ConfirmedAction<Target> = {
  /** What the open dialog asks about; null while it is closed. */
  target: Target | null;
  ask(target: Target, from: HTMLElement): void;
  dialog: {
    open: boolean;
    onConfirm(): void;
    onCancel(): void;
    pending: boolean;
    returnFocus: RefObject<HTMLElement | null>;
  };
  /** The failed attempt's sentence (the dialog stays open for another try or Cancel). */
  error: string | null;
};

/** `onDone`: what success does instead of closing the dialog and reading the page again. */
export function useConfirmedAction<Target, T>(perform: Perform<Target, T>, onDone?: (result: T) => void): ConfirmedAction<Target> {
  const router = useRouter();
  const errorText = useErrorText();
  const [target, setTarget] = useState<Target | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const [state, controller] = useActionController(perform);
  const onDoneRef = useRef(onDone);
  useEffect(() => {
    onDoneRef.current = onDone;
  });

  useEffect(() => {
    if (state.status !== 'succeeded') return;
    // `onDone` leaves the page (leaving a team): the dialog stays, pending, until it has gone.
    if (onDoneRef.current) return onDoneRef.current(state.result);
    setTarget(null);
    controller.reset();
    router.refresh();
  }, [state, controller, router]);

  return {
    target,
    ask(next, from) {
      returnFocus.current = from;
      controller.reset();
      setTarget(() => next);
    },
    dialog: {
      open: target !== null,
      onConfirm: () => {
        if (target !== null) void controller.submit(target);
      },
      onCancel: () => setTarget(null),
      pending: state.status === 'running' || state.status === 'succeeded',
      returnFocus,
    },
    error: state.status === 'failed' ? errorText(state.error) : null,
  };
}
