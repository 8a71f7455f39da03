import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { DoorScanner } from '@/components/checkin/door-scanner';
import { isUuid } from '@/lib/ids';

type Props = { params: Promise<{ eventId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('checkin.scanner');
  // The token is in the fragment: no page address may leak it, and none does (the fragment is never sent).
  return { title: t('title'), referrer: 'no-referrer', robots: { index: false, follow: false } };
}

/**
 * A door device's scanner (docs/api.md, "Teams, roles and door devices"): no
 * session. The page reads nothing of the event on the server; the phone holds
 * the device token (from the link's fragment, then its own storage) and reads
 * the event's snapshot with it.
 */
export default async function DoorPage({ params }: Props) {
  const { eventId } = await params;
  if (!isUuid(eventId)) notFound();
  return <DoorScanner eventId={eventId} />;
}
