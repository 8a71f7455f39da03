import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { getSessionUser } from '@/lib/auth/server';
import { AuthForm } from '@/components/auth/auth-form';
import { safeNextPath } from '@/components/auth/next-path';

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('auth');
  return { title: t('signInTitle') };
}

export default async function SignInPage({ searchParams }: Props) {
  const { next } = await searchParams;
  const nextPath = typeof next === 'string' ? next : null;
  if (await getSessionUser()) redirect(safeNextPath(nextPath));
  const t = await getTranslations('auth');
  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{t('signInTitle')}</h1>
      <p className="mt-1 mb-6 text-sm text-slate-700">{t('signInLead')}</p>
      <AuthForm mode="sign-in" next={nextPath} />
    </>
  );
}
