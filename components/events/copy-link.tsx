'use client';
// "Copy link" beside a link the organiser shares. The Clipboard API where the
// page may use it (https, localhost); elsewhere the old copy command on a
// selected field; if both fail, the link is selected for Ctrl+C / ⌘C and the
// message says so. The result is announced (aria-live) and fades after a while.
import { useEffect, useRef, useState } from 'react';
import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';

type Outcome = 'copied' | 'manual' | null;

function copyWithSelection(field: HTMLInputElement): boolean {
  field.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

/** `label`: the button's words when "Copy link" is not the best ("Share" in an action bar). */
export function CopyLink({ url, testId, label }: { url: string; testId?: string; label?: string }) {
  const t = useTranslations('copyLink');
  const [outcome, setOutcome] = useState<Outcome>(null);
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (outcome !== 'copied') return;
    const timer = setTimeout(() => setOutcome(null), 4000);
    return () => clearTimeout(timer);
  }, [outcome]);

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error('no Clipboard API');
      await navigator.clipboard.writeText(url);
      setOutcome('copied');
    } catch {
      const input = field.current;
      setOutcome(input && copyWithSelection(input) ? 'copied' : 'manual');
      input?.focus();
    }
  }

  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      {/* The field the fallback selects; shown only when the link must be copied by hand. */}
      <input
        ref={field}
        readOnly
        value={url}
        aria-label={t('field')}
        className={outcome === 'manual' ? 'w-full rounded border border-slate-300 px-2 py-1 text-sm' : 'sr-only'}
        tabIndex={outcome === 'manual' ? 0 : -1}
      />
      <Button variant="secondary" size="sm" onClick={copy} data-testid={testId}>
        {label ?? t('copy')}
      </Button>
      <span role="status" aria-live="polite" className="text-sm text-emerald-700 empty:absolute" data-testid={testId ? `${testId}-status` : undefined}>
        {outcome === 'copied' ? t('copied') : outcome === 'manual' ? <span className="text-slate-700">{t('manual')}</span> : null}
      </span>
    </span>
  );
}
