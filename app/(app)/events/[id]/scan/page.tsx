import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { ownEventPage, } from '@/lib/events/server';
import { BackLink } from '@/components/ui/back-link';
import { Scanner } from '@/components/checkin/scanner';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('checkin.scanner');
  return { title: t('title') };
}

export default async function ScanPage({ params }: Props) {
  const { id } = await params;
  const { event } = await ownEventPage(id, 'scan', 'door');
  const t = await getTranslations('checkin.scanner');
  return (
    <div className="flex flex-col gap-4">
      <BackLink href={`/events/${event.id}/check-in`}>{t('back')}</BackLink>
      <Scanner eventId={event.id} eventTitle={event.title} timezone={event.timezone} />
    </div>
  );
}
