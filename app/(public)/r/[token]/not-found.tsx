import { getTranslations } from 'next-intl/server';

export default async function RegistrationNotFound() {
  const t = await getTranslations('manageRegistration');
  return <p className="rounded-xl bg-white p-6 text-slate-800 ring-1 ring-slate-200">{t('notFound')}</p>;
}
