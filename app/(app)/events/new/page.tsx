import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { teamPage } from '@/lib/teams/server';
import { organiserAccount } from '@/lib/billing/server';
import { CreateEventClient } from '@/components/events/create-event-client';
import { BackLink } from '@/components/ui/back-link';
import { Card } from '@/components/ui/card';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('events');
  return { title: t('newTitle') };
}

export default async function NewEventPage() {
  const { team } = await teamPage('/events/new', 'events:write');
  const { plan, entitlements } = await organiserAccount(team.id);
  const t = await getTranslations('events');
  const tBilling = await getTranslations('billing.planName');
  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-6">
      <BackLink href="/events">{t('back')}</BackLink>
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t('newTitle')}</h1>
        <p className="mt-1 text-sm text-slate-700">{t('newLead')}</p>
      </div>
      <Card padding="lg">
        <CreateEventClient plan={tBilling(plan)} planLimit={entitlements.maxParticipants} />
      </Card>
    </div>
  );
}
