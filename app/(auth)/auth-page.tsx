// The sign-in and sign-up pages: the same page but for its words and the form's mode.
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { demoLogin, getSessionUser } from '@/lib/auth/server';
import { AuthForm } from '@/components/auth/auth-form';
import { safeNextPath } from '@/components/auth/next-path';
import { Alert } from '@/components/ui/alert';
import { CardDescription, CardTitle } from '@/components/ui/card';

type Mode = 'sign-in' | 'sign-up';

const messages = {
  'sign-in': { title: 'signInTitle', lead: 'signInLead' },
  'sign-up': { title: 'signUpTitle', lead: 'signUpLead' },
} as const;

export type AuthPageProps = { searchParams: Promise<{ next?: string | string[] }> };

export async function authMetadata(mode: Mode): Promise<Metadata> {
  const t = await getTranslations('auth');
  return { title: t(messages[mode].title) };
}

/** A signed-in visitor goes straight on to `?next=` (or the events). */
export async function AuthPage({ mode, searchParams }: AuthPageProps & { mode: Mode }) {
  const { next } = await searchParams;
  const nextPath = typeof next === 'string' ? next : null;
  if (await getSessionUser()) redirect(safeNextPath(nextPath));
  const t = await getTranslations('auth');
  const demo = mode === 'sign-in' ? demoLogin() : null;
  return (
    <>
      <CardTitle as="h1" size="page">
        {t(messages[mode].title)}
      </CardTitle>
      <CardDescription className="mb-6">{t(messages[mode].lead)}</CardDescription>
      {demo && (
        <Alert tone="info" className="mb-6" testId="demo-hint">
          {t('demoHint', demo)}
        </Alert>
      )}
      <AuthForm mode={mode} next={nextPath} />
    </>
  );
}
