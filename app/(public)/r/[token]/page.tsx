import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { managedRegistration, registrationAnswers, registrationOpen } from '@/lib/registrations/server';
import { publicQuestionsOf } from '@/lib/questions/server';
import { AnswersEditor } from '@/components/questions/answers-editor';
import { Alert } from '@/components/ui/alert';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { formatEventRange } from '@/components/ui/event-time';
import { CancelRegistration } from '@/components/registrations/cancel-registration';
import { AddToCalendar } from '@/components/registrations/add-to-calendar';
import { pageOrigin } from '@/lib/http/request-meta';
import { ticketCode } from '@/lib/checkin/server';
import { TicketQr } from '@/components/checkin/ticket-qr';

type Props = { params: Promise<{ token: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('manageRegistration');
  // A private link: never indexed, never sent on as a referrer.
  return { title: t('title'), robots: { index: false, follow: false }, referrer: 'no-referrer' };
}

export default async function ManageRegistrationPage({ params }: Props) {
  const { token } = await params;
  const found = await managedRegistration(token);
  if (!found) notFound();
  const { registration, event } = found;
  const t = await getTranslations('manageRegistration');
  const locale = await getLocale();
  // A confirmed registration is a ticket: its signed code as a QR code (docs/api.md, "Door check-in").
  const code = registration.status === 'confirmed' && event.status !== 'cancelled' ? await ticketCode(event.id, registration.id) : null;
  const ticket = await getTranslations('checkin.ticket');
  // The questions a free registration is asked (those of no ticket type) and the answers as given.
  const questions = (await publicQuestionsOf(event.slug)).filter((q) => q.ticketTypeIds.length === 0);
  const answers = (await registrationAnswers(token)) ?? [];

  return (
    <article className="flex flex-col gap-5" data-testid="manage-registration" data-status={registration.status}>
      <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
      <Card>
        <p className="text-lg font-medium break-words">
          <Link href={`/e/${event.slug}`} className="underline underline-offset-2">
            {event.title}
          </Link>
        </p>
        <p className="text-sm text-slate-700">{formatEventRange(event.startsAt, event.endsAt, event.timezone, locale)}</p>
        <p className="mt-3 break-words">{t('registeredAs', { name: registration.name, email: registration.email })}</p>
        {registration.status !== 'cancelled' && event.status !== 'cancelled' && (
          <div className="mt-4">
            <AddToCalendar event={event} pageUrl={`${await pageOrigin()}/e/${event.slug}`} />
          </div>
        )}
      </Card>
      <Alert tone={registration.status === 'cancelled' ? 'warning' : 'success'} testId="registration-status">
        {registration.status === 'confirmed'
          ? t('confirmed')
          : registration.status === 'waitlisted'
            ? t('waitlisted', { position: registration.position ?? 0 })
            : t('cancelled')}
      </Alert>
      {code && (
        <Card>
          <CardTitle>{ticket('title')}</CardTitle>
          <p className="mb-4 text-sm text-slate-700">{ticket('lead')}</p>
          <TicketQr
            code={code}
            label={ticket('qrLabel', { name: registration.name })}
            reference={registration.reference}
            referenceLabel={ticket('referenceLabel')}
          />
        </Card>
      )}
      <AnswersEditor
        token={token}
        kind="registration"
        blocks={[{ id: 'answers', title: null, questions, answers }]}
        editable={registration.status !== 'cancelled' && registrationOpen(event)}
      />
      {registration.status !== 'cancelled' &&
        (registrationOpen(event) ? <CancelRegistration token={token} registrationId={registration.id} /> : <p>{t('closed')}</p>)}
      {registration.status === 'cancelled' && registrationOpen(event) && (
        <ButtonLink href={`/e/${event.slug}`} variant="secondary" className="self-start">
          {t('registerAgain')}
        </ButtonLink>
      )}
    </article>
  );
}
