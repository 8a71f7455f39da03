'use client';
import type { ReactNode, RefObject } from 'react';
import { Dialog as RadixDialog } from 'radix-ui';

type DialogProps = {
  open: boolean;
  /** Called when the user asks to close (Escape, outside click); ignored while `dismissible` is false. */
  onDismiss: () => void;
  dismissible?: boolean;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  testId?: string;
  /** Where the focus goes back to on close, for a dialog opened without a Radix trigger (e.g. the button that opened it). */
  returnFocus?: RefObject<HTMLElement | null>;
};

export function Dialog({ open, onDismiss, dismissible = true, title, description, children, testId, returnFocus }: DialogProps) {
  return (
    <RadixDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next && dismissible) onDismiss();
      }}
    >
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/50 backdrop-blur-[1px]" />
        <RadixDialog.Content
          data-testid={testId}
          className="fixed top-1/2 left-1/2 z-50 max-h-[90vh] w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl bg-white p-6 shadow-xl focus:outline-none"
          onCloseAutoFocus={(event) => {
            const target = returnFocus?.current;
            if (!target?.isConnected) return;
            event.preventDefault();
            target.focus();
          }}
          onEscapeKeyDown={(event) => {
            if (!dismissible) event.preventDefault();
          }}
          onPointerDownOutside={(event) => {
            if (!dismissible) event.preventDefault();
          }}
          onInteractOutside={(event) => {
            if (!dismissible) event.preventDefault();
          }}
        >
          <RadixDialog.Title className="text-lg font-semibold text-slate-900">{title}</RadixDialog.Title>
          {description ? (
            <RadixDialog.Description className="mt-2 text-sm text-slate-700">{description}</RadixDialog.Description>
          ) : (
            <RadixDialog.Description className="sr-only">{title}</RadixDialog.Description>
          )}
          <div className="mt-4">{children}</div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
