import type { ReactNode } from 'react';
import { getTranslations } from 'next-intl/server';
import { LanguageSwitch } from '@/components/layout/language-switch';

/** Public event and manage pages: no session, no organiser navigation. */
export default async function PublicLayout({ children }: { children: ReactNode }) {
  const t = await getTranslations('app');
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="mx-auto flex w-full max-w-3xl items-center justify-between px-4 py-4 sm:px-6 print:hidden">
        <span className="text-base font-bold tracking-tight text-indigo-700">{t('name')}</span>
        <LanguageSwitch />
      </header>
      <main id="main" className="mx-auto w-full max-w-3xl flex-1 px-4 pt-4 pb-16 sm:px-6">
        {children}
      </main>
    </div>
  );
}
