'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { DropdownMenu } from 'radix-ui';
import { useTranslations } from 'next-intl';
import type { ActionState } from '@/lib/actions/action-controller';
import { tabPersistence } from '@/lib/actions/attempt-persistence';
import { apiRoute } from '@/lib/api-routes';
import { apiCall, type ClientError } from '@/lib/actions/api-client';
import { useActionController } from '@/lib/actions/use-action-controller';
import { creditConfirmedQuery, eventCreditConfirmation, } from '@/lib/events/credit-confirmation';
import type { EventDto, } from '@/lib/events/schemas';
import { publishCreditBalance } from '@/components/layout/credit-balance';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';
import { AttemptInterrupted } from '@/components/ui/attempt-interrupted';
import { CreditConfirmationModal } from './credit-confirmation-modal';

type LifecycleEvent = Pick<EventDto, 'id' | 'title' | 'status' | 'version'>;
type StatusChange = { status: 'published' | 'cancelled'; version: number };
type Removal = { id: string };

// Kept attempts come back from the tab's storage: only well-formed ones are resumed.
function parseStatusChange(value: unknown): StatusChange | null {
  if (typeof value !== 'object' || value === null || !('status' in value) || !('version' in value)) return null;
  const { status, version } = value;
  return (status === 'published' || status === 'cancelled') && typeof version === 'number' && Number.isInteger(version) ? { status, version } : null;
}

function useLifecycleErrorText(): (error: ClientError) => string {
  const t = useTranslations('eventActions.errors');
  return useErrorText((error) => {
    if (error.code === 'EVENT_NOT_DRAFT' || error.code === 'VERSION_CONFLICT' || error.code === 'NOT_FOUND') return t(error.code);
    // A draft whose start has passed cannot be published: the server names the field.
    const fields = Object.values(error.fieldErrors ?? {}).flat();
    return fields.length > 0 ? `${error.message} ${fields.join(' ')}` : error.message;
  });
}

type FailureProps = { state: ActionState<unknown>; onReload: () => void; onResend: () => void; onDiscard: () => void };

/** A failed action, or one whose answer was lost and that the server cannot say it finished (send again with its key). */
function ActionFailure({ state, onReload, onResend, onDiscard }: FailureProps) {
  const t = useTranslations('eventActions');
  const errorText = useLifecycleErrorText();
  if (state.status === 'interrupted') return <AttemptInterrupted onResend={onResend} onDiscard={onDiscard} />;
  if (state.status !== 'failed') return null;
  return (
    <Alert tone={state.error.code === 'VERSION_CONFLICT' ? 'warning' : 'error'} testId="event-action-error">
      <p>{errorText(state.error)}</p>
      {state.error.code === 'VERSION_CONFLICT' && (
        <Button variant="secondary" size="sm" className="mt-3" onClick={onReload} data-testid="event-action-reload">
          {t('reload')}
        </Button>
      )}
    </Alert>
  );
}

/**
 * A version-guarded status change (publish a draft, cancel an event): PATCH
 * with If-Match, one key per attempt, kept in the tab per event and action so
 * a reload or a duplicated tab finishes the same attempt.
 */
function useStatusChange(event: LifecycleEvent, action: 'publish' | 'cancel') {
  return useActionController(
    ({ status, version }: StatusChange, { correlationId, confirmed, signal }) =>
      apiCall(apiRoute('PATCH', '/api/events/[id]'), {
        params: { id: event.id },
        query: creditConfirmedQuery(confirmed),
        body: { status },
        headers: { 'If-Match': `"${version}"` },
        correlationId,
        signal,
      }),
    {
      confirmation: eventCreditConfirmation,
      persistence: tabPersistence(apiRoute('PATCH', '/api/events/[id]'), `PATCH /api/events/${event.id}:${action}`, parseStatusChange),
    },
  );
}

/**
 * The owner's lifecycle actions in the event page's action bar: publish a draft;
 * under "More", delete a draft or cancel a published event (each behind its confirm dialog).
 */
export function EventLifecycleActions({ event }: { event: LifecycleEvent }) {
  const t = useTranslations('eventActions');
  const router = useRouter();
  const hydrated = useHydrated();
  const [publish, publishController] = useStatusChange(event, 'publish');
  const [cancel, cancelController] = useStatusChange(event, 'cancel');
  const [remove, removeController] = useActionController(
    (_payload: Removal, { correlationId, signal }) => apiCall(apiRoute('DELETE', '/api/events/[id]'), { params: { id: event.id }, correlationId, signal }),
    {
      persistence: tabPersistence(apiRoute('DELETE', '/api/events/[id]'), `DELETE /api/events/${event.id}`, (value) =>
        typeof value === 'object' && value !== null && 'id' in value && value.id === event.id ? { id: event.id } : null,
      ),
    },
  );
  const [confirming, setConfirming] = useState<'delete' | 'cancel' | null>(null);
  // The dialogs give the focus back to the "More" button their item was in (the menu is closed by then).
  const moreButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (publish.status !== 'succeeded') return;
    publishCreditBalance(publish.result.credit.balance);
    // A new URL of a dynamic page: one navigation that reads the page again (a refresh beside it would abort it).
    router.replace(`/events/${event.id}?published=1`);
  }, [publish, router, event.id]);
  useEffect(() => {
    if (cancel.status !== 'succeeded') return;
    setConfirming(null);
    router.replace(`/events/${event.id}?cancelled=1`);
  }, [cancel, router, event.id]);
  useEffect(() => {
    if (remove.status !== 'succeeded') return;
    router.push('/events?deleted=1');
  }, [remove, router]);
  // An attempt resumed after a reload (still running, or interrupted) shows in its dialog again.
  useEffect(() => {
    if (cancel.status === 'running' || cancel.status === 'interrupted') setConfirming('cancel');
  }, [cancel.status]);
  useEffect(() => {
    if (remove.status === 'running' || remove.status === 'interrupted') setConfirming('delete');
  }, [remove.status]);

  const reload = () => {
    setConfirming(null);
    publishController.reset();
    cancelController.reset();
    router.refresh();
  };
  const running = (state: ActionState<unknown>) =>
    state.status === 'running' || state.status === 'running_confirmed' || state.status === 'succeeded';
  const busy = running(publish) || running(cancel) || running(remove);

  if (event.status === 'cancelled') return null;
  const menuItem =
    'flex min-h-9 cursor-pointer items-center rounded-md px-3 py-2 text-sm text-red-700 outline-none select-none ' +
    'data-[highlighted]:bg-red-50 data-[disabled]:cursor-not-allowed data-[disabled]:opacity-60';
  return (
    <>
      {event.status === 'draft' && (
        <Button
          size="sm"
          busy={running(publish)}
          disabled={!hydrated || busy || publish.status === 'awaiting_confirmation'}
          onClick={() => void publishController.submit({ status: 'published', version: event.version })}
          data-testid="event-publish"
        >
          {t('publish')}
        </Button>
      )}
      <DropdownMenu.Root modal={false}>
        <DropdownMenu.Trigger asChild>
          <Button ref={moreButton} variant="secondary" size="sm" disabled={!hydrated || busy} data-testid="event-more">
            {t('more')}
            <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4">
              <path d="M5.23 7.21a.75.75 0 0 1 1.06.02L10 11.17l3.71-3.94a.75.75 0 1 1 1.08 1.04l-4.25 4.5a.75.75 0 0 1-1.08 0l-4.25-4.5a.75.75 0 0 1 .02-1.06Z" />
            </svg>
          </Button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align="end"
            sideOffset={6}
            className="z-50 min-w-44 rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-200"
            data-testid="event-more-menu"
          >
            {event.status === 'draft' && (
              <DropdownMenu.Item
                className={menuItem}
                onSelect={() => {
                  removeController.reset();
                  setConfirming('delete');
                }}
                data-testid="event-delete"
              >
                {t('delete')}
              </DropdownMenu.Item>
            )}
            {event.status === 'published' && (
              <DropdownMenu.Item
                className={menuItem}
                onSelect={() => {
                  cancelController.reset();
                  setConfirming('cancel');
                }}
                data-testid="event-cancel"
              >
                {t('cancelEvent')}
              </DropdownMenu.Item>
            )}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {confirming === null && (
        <div className="basis-full">
          <ActionFailure state={publish} onReload={reload} onResend={() => void publishController.resend()} onDiscard={publishController.cancel} />
        </div>
      )}

      <ConfirmDialog
        open={confirming === 'delete'}
        title={t('deleteTitle')}
        description={t('deleteBody', { title: event.title })}
        confirmLabel={t('deleteConfirm')}
        cancelLabel={t('keep')}
        onConfirm={() => void removeController.submit({ id: event.id })}
        onCancel={() => setConfirming(null)}
        pending={running(remove)}
        testId="delete-event-dialog"
        confirmTestId="delete-event-confirm"
        cancelTestId="delete-event-keep"
        returnFocus={moreButton}
      >
        <ActionFailure state={remove} onReload={reload} onResend={() => void removeController.resend()} onDiscard={removeController.cancel} />
      </ConfirmDialog>

      <ConfirmDialog
        open={confirming === 'cancel'}
        title={t('cancelTitle')}
        description={t('cancelBody', { title: event.title })}
        confirmLabel={t('cancelConfirm')}
        cancelLabel={t('keep')}
        onConfirm={() => void cancelController.submit({ status: 'cancelled', version: event.version })}
        onCancel={() => setConfirming(null)}
        pending={running(cancel)}
        testId="cancel-event-dialog"
        confirmTestId="cancel-event-confirm"
        cancelTestId="cancel-event-keep"
        returnFocus={moreButton}
      >
        <ActionFailure state={cancel} onReload={reload} onResend={() => void cancelController.resend()} onDiscard={cancelController.cancel} />
      </ConfirmDialog>

      <CreditConfirmationModal state={publish} onConfirm={() => void publishController.confirm()} onCancel={publishController.cancel} />
    </>
  );
}
