import { getTranslations } from 'next-intl/server';
import { BackLink } from '@/components/events/back-link';

export default async function EventNotFound() {
  const t = await getTranslations('events');
  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-4">
      <BackLink href="/events">{t('back')}</BackLink>
      <p className="rounded-xl bg-white p-6 text-slate-800 ring-1 ring-slate-200">{t('notFound')}</p>
    </div>
  );
}
