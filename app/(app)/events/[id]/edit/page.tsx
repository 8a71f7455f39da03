import { settingsOfUser } from '@/lib/auth/server';
import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { organiserAccount } from '@/lib/billing/server';
import { ownEventPage, } from '@/lib/events/server';
import { BackLink } from '@/components/ui/back-link';
import { EditEventClient } from '@/components/events/edit-event-client';
import { Card } from '@/components/ui/card';
import { TicketTypesCard } from '@/components/tickets/ticket-types-card';
import { eventTicketTypes } from '@/lib/tickets/server';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('events');
  return { title: t('editTitle') };
}

export default async function EditEventPage({ params }: Props) {
  const { id } = await params;
  const { user, event } = await ownEventPage(id, 'edit', 'events:write');
  const { plan, entitlements } = await organiserAccount(event.teamId);
  const t = await getTranslations('events');
  const tPlan = await getTranslations('billing.planName');
  // The event's ticket types sit under its form; each saves on its own.
  const ticketTypes = await eventTicketTypes(event.id, event.teamId);
  const locale = await getLocale();

  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-6">
      <BackLink href={`/events/${event.id}`}>{event.title}</BackLink>
      <h1 className="text-2xl font-semibold tracking-tight">{t('editTitle')}</h1>
      <Card padding="lg">
        {/* A new version (after a reload) starts a fresh form. */}
        <EditEventClient key={event.version} event={event} plan={tPlan(plan)} planLimit={entitlements.maxParticipants} />
      </Card>
      {ticketTypes && <TicketTypesCard event={event} ticketTypes={ticketTypes} locale={locale} defaultCurrency={(await settingsOfUser(user.id)).defaultCurrency} />}
    </div>
  );
}
