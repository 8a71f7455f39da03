'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useTranslations } from 'next-intl';
import { apiRequest } from '@/lib/actions/api-client';
import { useActionController } from '@/lib/actions/use-action-controller';
import { emptyEventFormValues, valuesToInput } from '@/lib/events/form';
import type { CreateEventInput, CreditOutcome, EventDto } from '@/lib/events/schemas';
import { publishCreditBalance } from '@/components/layout/credit-balance';
import { ActionErrorNotice } from './action-error-notice';
import { CreditConfirmationModal } from './credit-confirmation-modal';
import { EventForm } from './event-form';
import { serverErrorsOf } from './server-errors';

type EventWrite = { event: EventDto; credit: CreditOutcome };

export function CreateEventClient({ plan, planLimit }: { plan: string; planLimit: number }) {
  const t = useTranslations('eventForm');
  const router = useRouter();
  const [state, controller] = useActionController<CreateEventInput, EventWrite>((body, { correlationId, confirmCredit, signal }) =>
    apiRequest<EventWrite>({
      method: 'POST',
      url: confirmCredit ? '/api/events?confirm_credit=1' : '/api/events',
      body,
      correlationId,
      signal,
    }),
  );

  useEffect(() => {
    if (state.status !== 'succeeded') return;
    publishCreditBalance(state.result.credit.balance);
    router.push(`/events/${state.result.event.id}?created=1`);
  }, [state, router]);

  const running = state.status === 'running' || state.status === 'running_confirmed';
  return (
    <>
      <EventForm
        mode="create"
        defaultValues={emptyEventFormValues('UTC')}
        participantsHint={t('maxParticipantsHint', { plan, limit: planLimit })}
        busy={running || state.status === 'succeeded'}
        locked={state.status === 'awaiting_confirmation'}
        saved={state.status === 'succeeded'}
        serverErrors={serverErrorsOf(state)}
        notice={<ActionErrorNotice state={state} />}
        onSubmit={(output) => void controller.submit(valuesToInput(output))}
      />
      <CreditConfirmationModal state={state} onConfirm={() => void controller.confirm()} onCancel={controller.cancel} />
    </>
  );
}
