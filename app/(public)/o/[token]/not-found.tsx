import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';

export default async function OrderNotFound() {
  const t = await getTranslations('orderPage');
  return (
    <Card as="p" className="text-slate-800">
      {t('notFound')}
    </Card>
  );
}
