import { getTranslations } from 'next-intl/server';
import { Spinner } from '@/components/ui/spinner';

export default async function Loading() {
  const t = await getTranslations('attendees');
  return (
    <div className="mx-auto flex max-w-5xl items-center gap-2 py-10 text-slate-700" role="status" data-testid="attendees-loading">
      <Spinner />
      {t('loading')}
    </div>
  );
}
