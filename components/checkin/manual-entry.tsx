'use client';
// A reference (or a code) typed at the door (a phone without a camera, a
// damaged QR code); the field keeps the focus for the next one, and takes it
// when the camera turns out not to be there.
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { SCANNED_CODE_MAX } from '@/lib/checkin/schemas';

export function ManualEntry({ canCheck, focus, onCheck }: { canCheck: boolean; focus: boolean; onCheck(code: string): void }) {
  const t = useTranslations('checkin.scanner');
  const [manual, setManual] = useState('');
  useEffect(() => {
    if (focus) document.getElementById('scanner-manual')?.focus();
  }, [focus]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onCheck(manual);
    setManual('');
    document.getElementById('scanner-manual')?.focus();
  }

  return (
    <Card as="section">
      <form className="flex flex-col gap-2" onSubmit={submit}>
        <label htmlFor="scanner-manual" className="text-sm font-medium text-slate-800">
          {t('manualLabel')}
        </label>
        <div className="flex gap-2">
          <Input
            id="scanner-manual"
            value={manual}
            onChange={(e) => setManual(e.target.value)}
            placeholder={t('manualPlaceholder')}
            maxLength={SCANNED_CODE_MAX}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            className="min-w-0 flex-1 font-mono"
            data-testid="scanner-manual"
          />
          <Button type="submit" disabled={!canCheck || manual.trim() === ''} data-testid="scanner-check">
            {t('check')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
