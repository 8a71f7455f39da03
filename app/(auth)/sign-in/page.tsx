import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { getSessionUser } from '@/lib/auth/server';
import { AuthForm } from '@/components/auth/auth-form';
import { safeNextPath } from '@/components/auth/next-path';
import { CardDescription, CardTitle } from '@/components/ui/card';

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
      <CardTitle as="h1" size="page">
        {t('signInTitle')}
      </CardTitle>
      <CardDescription className="mb-6">{t('signInLead')}</CardDescription>
      <AuthForm mode="sign-in" next={nextPath} />
    </>
  );
}
