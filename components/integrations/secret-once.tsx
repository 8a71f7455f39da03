'use client';
// A secret shown once, right after it was created: selectable, with a copy
// button (the Clipboard API, else the selection for Ctrl+C), and the focus
// moved to it so a keyboard or screen-reader user lands on it. A replayed
// answer (the first one was lost) has no secret, since it is never stored:
// then the notice says so instead (`lost`).
import { useEffect, useRef, useState } from 'react';
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

export function SecretOnce({ title, body, secret, lost, onDone, doneLabel, testId, fieldLabel }: {
  title: string;
  body: string;
  secret: string | undefined;
  lost: { title: string; body: string };
  onDone: () => void;
  doneLabel: string;
  testId: string;
  /** What the field holds, for screen readers; "Secret" when left out. */
  fieldLabel?: string;
}) {
  const t = useTranslations('integrations.copy');
  const field = useRef<HTMLInputElement>(null);
  const region = useRef<HTMLDivElement>(null);
  const [outcome, setOutcome] = useState<'copied' | 'manual' | null>(null);

  useEffect(() => {
    region.current?.focus();
  }, []);

  async function copy() {
    try {
      if (!navigator.clipboard || secret === undefined) throw new Error('no Clipboard API');
      await navigator.clipboard.writeText(secret);
      setOutcome('copied');
    } catch {
      field.current?.select();
      setOutcome('manual');
    }
  }

  if (secret === undefined) {
    return (
      <Alert tone="warning" title={lost.title} testId={`${testId}-lost`}>
        <p>{lost.body}</p>
        <Button variant="secondary" size="sm" className="mt-3" onClick={onDone}>
          {doneLabel}
        </Button>
      </Alert>
    );
  }

  return (
    <div ref={region} tabIndex={-1} className="focus-visible:outline-2 focus-visible:outline-indigo-600" data-testid={testId}>
      <Alert tone="success" title={title}>
        <p>{body}</p>
        <div className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-center">
          <input
            ref={field}
            readOnly
            value={secret}
            aria-label={fieldLabel ?? t('field')}
            onFocus={(e) => e.currentTarget.select()}
            className="min-w-0 flex-1 rounded-md border border-emerald-300 bg-white px-2 py-1.5 font-mono text-xs text-slate-900"
            data-testid={`${testId}-value`}
          />
          <div className="flex gap-2">
            <Button variant="secondary" size="sm" onClick={() => void copy()} data-testid={`${testId}-copy`}>
              {t('copy')}
            </Button>
            <Button size="sm" onClick={onDone} data-testid={`${testId}-done`}>
              {doneLabel}
            </Button>
          </div>
        </div>
        <p role="status" aria-live="polite" className="mt-2 text-xs">
          {outcome === 'copied' ? t('copied') : outcome === 'manual' ? t('manual') : null}
        </p>
      </Alert>
    </div>
  );
}
