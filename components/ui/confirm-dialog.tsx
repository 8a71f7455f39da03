'use client';
import type { ReactNode, RefObject } from 'react';
import { Button } from './button';
import { Dialog } from './dialog';

type ConfirmDialogProps = {
  open: boolean;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel: ReactNode;
  cancelLabel: ReactNode;
  onConfirm: () => void;
  /** Cancel, Escape and a click outside; none of them while pending. */
  onCancel: () => void;
  /** The confirmed action is running: both buttons are disabled and the dialog stays open. */
  pending: boolean;
  /** Confirming is not possible now (what is missing is said in the children). */
  confirmDisabled?: boolean;
  tone?: 'danger' | 'primary';
  /** Notices above the buttons: what confirming will do, or why it failed. */
  children?: ReactNode;
  /** Replaces the two buttons once the action is done (a Close button that takes the focus). */
  doneActions?: ReactNode;
  testId?: string;
  confirmTestId?: string;
  cancelTestId?: string;
  /** Where the focus goes back to on close: the button that opened the dialog. */
  returnFocus?: RefObject<HTMLElement | null>;
};

/**
 * A question before an action: confirm or cancel. The cancel button comes
 * first, so it takes the focus when the dialog opens.
 */
export function ConfirmDialog({
  open,
  title,
  description,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
  pending,
  confirmDisabled = false,
  tone = 'danger',
  children,
  doneActions,
  testId,
  confirmTestId,
  cancelTestId,
  returnFocus,
}: ConfirmDialogProps) {
  return (
    <Dialog
      open={open}
      onDismiss={onCancel}
      dismissible={!pending}
      title={title}
      description={description}
      testId={testId}
      returnFocus={returnFocus}
    >
      <div className="flex flex-col gap-4 text-left text-sm">
        {children}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          {doneActions ?? (
            <>
              <Button variant="secondary" disabled={pending} onClick={onCancel} data-testid={cancelTestId}>
                {cancelLabel}
              </Button>
              <Button
                variant={tone}
                busy={pending}
                disabled={confirmDisabled}
                onClick={onConfirm}
                data-testid={confirmTestId}
              >
                {confirmLabel}
              </Button>
            </>
          )}
        </div>
      </div>
    </Dialog>
  );
}
