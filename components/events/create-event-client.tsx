'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { tabPersistence } from '@/lib/actions/attempt-persistence';
import { apiRoute, routeLabel } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { creditConfirmedQuery, eventCreditConfirmation, } from '@/lib/events/credit-confirmation';
import { bodyToFormValues, emptyEventFormValues, valuesToInput, type EventBody, type EventFormValues } from '@/lib/events/form';
import { createEventSchema, } from '@/lib/events/schemas';
import { publishCreditBalance } from '@/components/layout/credit-balance';
import { ActionErrorNotice } from './action-error-notice';
import { CreditConfirmationModal } from './credit-confirmation-modal';
import { EventForm } from './event-form';
import { serverErrorsOf } from './server-errors';

/** What the form sends: the event, and whether it goes out published or stays a draft. */
type CreateBody = EventBody & { status: 'draft' | 'published' };

const ROUTE = apiRoute('POST', '/api/events');

/**
 * A saved attempt's payload, checked again as the server would, and given back
 * field for field as it was sent (no defaults added), so that sending it again
 * has the same fingerprint.
 */
function parseSavedBody(value: unknown): CreateBody | null {
  const parsed = createEventSchema.safeParse(value);
  if (!parsed.success) return null;
  const { title, description, startsAt, endsAt, timezone, location, maxParticipants, visibility, waitlist, status } = parsed.data;
  return { title, description, startsAt, endsAt, timezone, location, maxParticipants, visibility, waitlist, status };
}

export function CreateEventClient({ plan, planLimit }: { plan: string; planLimit: number }) {
  const t = useTranslations('eventForm');
  const router = useRouter();
  const [state, controller] = useActionController(
    (body: CreateBody, { correlationId, confirmed, signal }) =>
      apiCall(ROUTE, {
        query: creditConfirmedQuery(confirmed),
        body,
        correlationId,
        signal,
      }),
    // A reload keeps the attempt: the form comes back with what was typed, and finishing it reuses its key.
    { confirmation: eventCreditConfirmation, persistence: tabPersistence(ROUTE, routeLabel(ROUTE), parseSavedBody) },
  );
  const [restored, setRestored] = useState<EventFormValues | null>(null);
  useEffect(() => {
    const saved = controller.savedPayload();
    if (saved) setRestored(bodyToFormValues(saved));
  }, [controller]);

  useEffect(() => {
    if (state.status !== 'succeeded') return;
    publishCreditBalance(state.result.credit.balance);
    router.push(`/events/${state.result.event.id}?created=1`);
  }, [state, router]);

  const running = state.status === 'running' || state.status === 'running_confirmed';
  return (
    <>
      <EventForm
        key={restored ? 'restored' : 'new'}
        mode="create"
        defaultValues={restored ?? emptyEventFormValues('UTC')}
        participantsHint={t('maxParticipantsHint', { plan, limit: planLimit })}
        busy={running || state.status === 'succeeded'}
        locked={state.status === 'awaiting_confirmation'}
        saved={state.status === 'succeeded'}
        serverErrors={serverErrorsOf(state)}
        notice={<ActionErrorNotice state={state} onResend={() => void controller.resend()} onDiscard={controller.cancel} />}
        onSubmit={(output, intent) => void controller.submit({ ...valuesToInput(output), status: intent === 'draft' ? 'draft' : 'published' })}
      />
      <CreditConfirmationModal state={state} onConfirm={() => void controller.confirm()} onCancel={controller.cancel} />
    </>
  );
}
