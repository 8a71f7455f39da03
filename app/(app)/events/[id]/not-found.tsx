import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { BackLink } from '@/components/ui/back-link';

export default async function EventNotFound() {
  const t = await getTranslations('events');
  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-4">
      <BackLink href="/events">{t('back')}</BackLink>
      <Card as="p" className="text-slate-800">
        {t('notFound')}
      </Card>
    </div>
  );
}
