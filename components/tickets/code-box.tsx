'use client';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import type { PublicCodeState } from '@/lib/tickets/code-schemas';
import { formatMoney } from '@/lib/money';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { useHydrated } from '@/components/ui/use-hydrated';

/**
 * "Have a code?" on the public page: applying one opens `/e/<slug>?code=XYZ`
 * (the link an organiser shares does the same), which the server renders with
 * the code applied: its unlocked types, prices struck through, or why it
 * cannot be used. Removing it opens the page without.
 */
export function CodeBox({ state }: { state: PublicCodeState | null }) {
  const t = useTranslations('codeBox');
  const locale = useLocale();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const hydrated = useHydrated();
  const [open, setOpen] = useState(state !== null);
  const [typed, setTyped] = useState(state?.code ?? '');
  const [pending, startTransition] = useTransition();
  const inputId = useId();

  const go = (code: string | null) => {
    const params = new URLSearchParams(search.toString());
    if (code) params.set('code', code);
    else params.delete('code');
    const query = params.toString();
    startTransition(() => router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false }));
  };

  if (state?.valid) {
    const discount = state.discount === null ? null : 'percent' in state.discount ? `${state.discount.percent} %` : formatMoney(state.discount.amount.amount, state.discount.amount.currency, locale);
    return (
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-600/30" data-testid="code-applied" role="status">
        <span>{discount ? t('applied', { code: state.code, discount }) : t('appliedUnlock', { code: state.code })}</span>
        <Button size="sm" variant="secondary" busy={pending} disabled={!hydrated} onClick={() => go(null)} data-testid="code-remove">
          {t('remove')}
        </Button>
      </div>
    );
  }

  if (!open) {
    return (
      <p className="mb-4">
        <button
          type="button"
          className="rounded text-sm font-medium text-indigo-700 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          onClick={() => setOpen(true)}
          data-testid="code-open"
        >
          {t('haveCode')}
        </button>
      </p>
    );
  }

  return (
    <form
      className="mb-4 flex flex-col gap-2"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (typed.trim() !== '') go(typed.trim());
      }}
      data-testid="code-box"
    >
      <label htmlFor={inputId} className="text-sm font-medium text-slate-800">
        {t('label')}
      </label>
      <div className="flex gap-2">
        <Input
          id={inputId}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          aria-invalid={state !== null && !state.valid}
          aria-describedby={state && !state.valid ? `${inputId}-error` : undefined}
          data-testid="code-box-input"
        />
        <Button type="submit" variant="secondary" busy={pending} disabled={!hydrated || typed.trim() === ''} data-testid="code-apply">
          {t('apply')}
        </Button>
      </div>
      {state && !state.valid && (
        <div id={`${inputId}-error`}>
          <Alert tone="error" testId="code-invalid">
            {t(`reason.${state.reason}`, { code: state.code })}
          </Alert>
        </div>
      )}
    </form>
  );
}
