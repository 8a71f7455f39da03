'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { tabPersistence } from '@/lib/actions/attempt-persistence';
import { apiRoute } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { creditConfirmedQuery, eventCreditConfirmation, } from '@/lib/events/credit-confirmation';
import { changedFields, eventToFormValues, valuesToInput } from '@/lib/events/form';
import { updateEventSchema, type EventDto, type UpdateEventInput } from '@/lib/events/schemas';
import { z } from '@/lib/zod';
import { Alert } from '@/components/ui/alert';
import { publishCreditBalance } from '@/components/layout/credit-balance';
import { ActionErrorNotice } from './action-error-notice';
import { CreditConfirmationModal } from './credit-confirmation-modal';
import { EventForm } from './event-form';
import { serverErrorsOf } from './server-errors';

type Patch = { changes: UpdateEventInput; version: number };

const savedPatchSchema = z.object({ changes: updateEventSchema, version: z.number().int() });

function parseSavedPatch(value: unknown): Patch | null {
  const parsed = savedPatchSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function EditEventClient({ event, plan, planLimit }: { event: EventDto; plan: string; planLimit: number }) {
  const t = useTranslations('eventForm');
  const router = useRouter();
  const [nothingChanged, setNothingChanged] = useState(false);
  const [state, controller] = useActionController(({ changes, version }: Patch, { correlationId, confirmed, signal }) =>
    apiCall(apiRoute('PATCH', '/api/events/[id]'), {
      params: { id: event.id },
      query: creditConfirmedQuery(confirmed),
      body: changes,
      headers: { 'If-Match': `"${version}"` },
      correlationId,
      signal,
    }),
    // One saved attempt per event's form: a reload resumes it with its key.
    {
      confirmation: eventCreditConfirmation,
      persistence: tabPersistence(apiRoute('PATCH', '/api/events/[id]'), `PATCH /api/events/${event.id}`, parseSavedPatch),
    },
  );
  const [restored, setRestored] = useState<Patch | null>(null);
  useEffect(() => {
    const saved = controller.savedPayload();
    if (saved?.version === event.version) setRestored(saved);
  }, [controller, event.version]);
  const defaultValues = useMemo(
    () => eventToFormValues(restored ? { ...event, ...restored.changes } : event),
    [event, restored],
  );

  useEffect(() => {
    if (state.status !== 'succeeded') return;
    publishCreditBalance(state.result.credit.balance);
    router.push(`/events/${event.id}?saved=1`);
    router.refresh();
  }, [state, router, event.id]);

  const running = state.status === 'running' || state.status === 'running_confirmed';
  return (
    <>
      <EventForm
        key={restored ? 'restored' : 'stored'}
        mode="edit"
        defaultValues={defaultValues}
        participantsHint={t('maxParticipantsHint', { plan, limit: planLimit })}
        busy={running || state.status === 'succeeded'}
        locked={state.status === 'awaiting_confirmation'}
        saved={state.status === 'succeeded'}
        serverErrors={serverErrorsOf(state)}
        notice={
          <>
            {nothingChanged && state.status === 'idle' && <Alert tone="info">{t('noChanges')}</Alert>}
            <ActionErrorNotice
              state={state}
              onReload={() => router.refresh()}
              onResend={() => void controller.resend()}
              onDiscard={controller.cancel}
            />
          </>
        }
        onSubmit={(output) => {
          const changes = changedFields(event, valuesToInput(output));
          if (Object.keys(changes).length === 0) {
            controller.reset();
            setNothingChanged(true);
            return;
          }
          setNothingChanged(false);
          void controller.submit({ changes, version: event.version });
        }}
      />
      <CreditConfirmationModal state={state} onConfirm={() => void controller.confirm()} onCancel={controller.cancel} />
    </>
  );
}
