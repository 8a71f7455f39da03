'use client';
// The organiser's default currency: what new ticket types are priced in
// (never guessed from the interface's language). One Idempotency-Key per
// attempt through the ActionController.
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { apiCall } from '@/lib/actions/api-client';
import { useActionController } from '@/lib/actions/use-action-controller';
import { apiRoute } from '@/lib/api-routes';
import type { UpdateSettingsInput } from '@/lib/auth/schemas';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { CurrencySelect } from '@/components/ui/currency-select';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';

export function CurrencySettings({ current }: { current: string | null }) {
  const t = useTranslations('settings');
  const tValidation = useTranslations('validation');
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useErrorText();
  const [value, setValue] = useState(current?.toUpperCase() ?? '');
  const [state, controller] = useActionController((body: UpdateSettingsInput, { correlationId, signal }) =>
    apiCall(apiRoute('PATCH', '/api/me/settings'), { body, correlationId, signal }),
  );
  useEffect(() => {
    if (state.status === 'succeeded') router.refresh();
  }, [state, router]);
  const fieldError =
    state.status === 'failed' ? state.error.fieldErrors?.defaultCurrency?.map((key) => (tValidation.has(key) ? tValidation(key) : key)).join(' ') : undefined;

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      data-testid="currency-settings"
      onSubmit={(e) => {
        e.preventDefault();
        void controller.submit({ defaultCurrency: value });
      }}
    >
      <Field id="default-currency" label={t('currencyLabel')} hint={current ? undefined : t('currencyNone')} error={fieldError}>
        {(control) => (
          <CurrencySelect
            {...control}
            className="w-full sm:w-80"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder={t('currencyChoose')}
            data-testid="default-currency"
          />
        )}
      </Field>
      {state.status === 'failed' && !fieldError && <Alert tone="error">{errorText(state.error)}</Alert>}
      {state.status === 'succeeded' && (
        <Alert tone="success" testId="currency-saved">
          {t('saved', { currency: state.result.settings.defaultCurrency?.toUpperCase() ?? '' })}
        </Alert>
      )}
      <div>
        <Button type="submit" busy={state.status === 'running'} disabled={!hydrated || value === ''} data-testid="currency-save">
          {t('save')}
        </Button>
      </div>
    </form>
  );
}
