import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';

export default async function PublicEventNotFound() {
  const t = await getTranslations('publicEvent');
  return (
    <Card as="p" className="text-slate-800">
      {t('notFound')}
    </Card>
  );
}
