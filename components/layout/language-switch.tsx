'use client';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { LOCALE_COOKIE, LOCALES, type Locale } from '@/lib/i18n/config';
import { cx } from '@/components/ui/cx';

/** Stores the choice in the NEXT_LOCALE cookie and re-renders the page in it; form values stay. */
export function LanguageSwitch() {
  const t = useTranslations('language');
  const current = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  const choose = (locale: Locale) => {
    if (locale === current) return;
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser we serve.
    document.cookie = `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`;
    startTransition(() => router.refresh());
  };

  return (
    <div
      role="group"
      aria-label={t('switchTo')}
      className={cx('inline-flex rounded-lg bg-slate-100 p-0.5 ring-1 ring-slate-200 ring-inset', pending && 'opacity-70')}
      data-testid="language-switch"
    >
      {LOCALES.map((locale) => (
        <button
          key={locale}
          type="button"
          lang={locale}
          aria-pressed={locale === current}
          aria-label={`${locale.toUpperCase()} – ${t(locale)}`}
          onClick={() => choose(locale)}
          className={cx(
            'min-h-8 min-w-10 rounded-md px-2 text-xs font-semibold focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600',
            locale === current ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600 hover:text-slate-900',
          )}
        >
          {locale.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
