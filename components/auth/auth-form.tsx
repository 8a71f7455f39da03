'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useForm, type FieldPath } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import type { z } from 'zod';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import { signInSchema, signUpSchema } from '@/lib/auth/schemas';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';
import { safeNextPath } from './next-path';

type SignUpValues = z.input<typeof signUpSchema>;
type SignUpOutput = z.output<typeof signUpSchema>;

/** Sign-in and sign-up share one form; sign-up adds the optional name. */
export function AuthForm({ mode, next }: { mode: 'sign-in' | 'sign-up'; next: string | null }) {
  const t = useTranslations('auth');
  const tValidation = useTranslations('validation');
  const describeError = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const signingUp = mode === 'sign-up';
  const hydrated = useHydrated();
  const form = useForm<SignUpValues, unknown, SignUpOutput>({
    // Sign-in checks only that a password is there; sign-up its length too.
    resolver: zodResolver(signingUp ? signUpSchema : signInSchema),
    defaultValues: signingUp ? { email: '', password: '', name: '' } : { email: '', password: '' },
    mode: 'onTouched',
  });
  const { register, handleSubmit, formState } = form;

  const message = (text: string | undefined) => (text ? (tValidation.has(text) ? tValidation(text) : text) : undefined);

  const submit = handleSubmit(async (values) => {
    setError(null);
    const body = signingUp ? { ...values, name: values.name || undefined } : { email: values.email, password: values.password };
    const result = await apiCall(apiRoute('POST', signingUp ? '/api/auth/sign-up' : '/api/auth/sign-in'), { body });
    if (result.ok) {
      window.location.assign(safeNextPath(next));
      return;
    }
    setError(describeError(result.error));
    for (const [field, messages] of Object.entries(result.error.fieldErrors ?? {})) {
      form.setError(field as FieldPath<SignUpValues>, { type: 'server', message: messages.join(' ') });
    }
  });

  const otherHref = `${signingUp ? '/sign-in' : '/sign-up'}${next ? `?next=${encodeURIComponent(next)}` : ''}`;
  const submitting = formState.isSubmitting || (formState.isSubmitSuccessful && !error);

  return (
    <form onSubmit={submit} method="post" noValidate className="flex flex-col gap-5" data-testid={`${mode}-form`}>
      {error && (
        <Alert tone="error" testId="auth-error">
          {error}
        </Alert>
      )}
      {signingUp && (
        <Field
          id="name"
          label={
            <>
              {t('name')} <span className="font-normal text-slate-600">({t('nameOptional')})</span>
            </>
          }
          error={message(formState.errors.name?.message)}
        >
          {(control) => <Input {...control} {...register('name')} autoComplete="name" />}
        </Field>
      )}
      <Field id="email" label={t('email')} error={message(formState.errors.email?.message)}>
        {(control) => <Input {...control} {...register('email')} type="email" autoComplete="email" inputMode="email" />}
      </Field>
      <Field
        id="password"
        label={t('password')}
        hint={signingUp ? t('passwordHint') : undefined}
        error={message(formState.errors.password?.message)}
      >
        {(control) => (
          <Input
            {...control}
            {...register('password')}
            type="password"
            autoComplete={signingUp ? 'new-password' : 'current-password'}
          />
        )}
      </Field>
      <Button type="submit" busy={submitting} disabled={!hydrated} className="w-full">
        {signingUp ? t('signUpSubmit') : t('signInSubmit')}
      </Button>
      <p className="text-center text-sm text-slate-700">
        {signingUp ? t('haveAccount') : t('noAccount')}{' '}
        <Link
          href={otherHref}
          className="rounded font-medium text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          {signingUp ? t('signInLink') : t('signUpLink')}
        </Link>
      </p>
    </form>
  );
}
