'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useLocale, useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { tabPersistence } from '@/lib/actions/attempt-persistence';
import { apiRoute, routeLabel } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { registerSchema, type RegisterData, type RegisterInput } from '@/lib/registrations/schemas';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';
import { useServerFieldErrors } from '@/components/ui/use-server-field-errors';
import { AttemptInterrupted } from '@/components/ui/attempt-interrupted';
import { answerErrorKeys, answersToSend, focusFirstInvalid, QuestionFields, showAnswerErrors, type PathErrors } from '@/components/questions/question-fields';
import type { AnswersInput, PublicQuestionDto } from '@/lib/questions/schemas';

const ROUTE = apiRoute('POST', '/api/public/events/[slug]/registrations');

/** A saved attempt's payload, checked again as the server would, and given back as it was sent (same fingerprint). */
function parseSavedRegistration(value: unknown): RegisterInput | null {
  const parsed = registerSchema.safeParse(value);
  if (!parsed.success) return null;
  const { name, email, locale, answers } = parsed.data;
  return { name, email, ...(locale && { locale }), ...(answers && { answers }) };
}

/**
 * The registration form of /e/<slug>: the API's own zod schema, one
 * Idempotency-Key per attempt (ActionController), the typed values kept on
 * every error, and the outcome with the manage link once registered.
 */
export function RegisterForm({ slug, waitlisted, questions = [] }: { slug: string; waitlisted: boolean; questions?: PublicQuestionDto[] }) {
  const t = useTranslations('publicEvent');
  const tValidation = useTranslations('validation');
  const locale = useLocale();
  const errorText = useErrorText();
  const hydrated = useHydrated();
  const form = useForm<RegisterInput, unknown, RegisterData>({
    resolver: zodResolver(registerSchema),
    defaultValues: { name: '', email: '' },
    mode: 'onTouched',
  });
  const { register, handleSubmit, formState, setError, reset } = form;
  const [state, controller] = useActionController(
    (body: RegisterInput, { correlationId, signal }) => apiCall(ROUTE, { params: { slug }, body, correlationId, signal }),
    // One attempt per event page, kept across a reload (or into a duplicated tab): the
    // typed name and email come back and finishing reuses the key. No secret is in it.
    { persistence: tabPersistence(ROUTE, `${routeLabel(ROUTE)}:${slug}`, parseSavedRegistration) },
  );

  // The event's questions: answers kept in state (on any error too), checked as the server checks them.
  const formRef = useRef<HTMLFormElement>(null);
  const [answers, setAnswers] = useState<AnswersInput>({});
  const [answerErrors, setAnswerErrors] = useState<PathErrors>({});

  useEffect(() => {
    const saved = controller.savedPayload();
    if (!saved) return;
    reset({ name: saved.name, email: saved.email });
    if (saved.answers) setAnswers(saved.answers);
  }, [controller, reset]);

  useServerFieldErrors(setError, state.status === 'failed' ? state.error : null, {
    fieldOf: (field) => (field === 'name' || field === 'email' ? field : null),
    focusFirst: true,
  });
  const failure = state.status === 'failed' ? state.error : null;
  useEffect(() => {
    const fromServer = Object.entries(failure?.fieldErrors ?? {}).filter(([field]) => field.startsWith('answers.'));
    if (fromServer.length === 0) return;
    setAnswerErrors(Object.fromEntries(fromServer.map(([field, messages]) => [field, messages.join(' ')])));
    focusFirstInvalid(formRef.current);
  }, [failure]);

  // The event filled up under the guest: the page reads its seats again (a waitlist form, or "full").
  const router = useRouter();
  const fullError = state.status === 'failed' && state.error.code === 'EVENT_FULL' ? state.error : null;
  useEffect(() => {
    if (fullError) router.refresh();
  }, [fullError, router]);

  const message = (text: string | undefined) => (text ? (tValidation.has(text) ? tValidation(text) : text) : undefined);

  if (state.status === 'succeeded') {
    const { registration, manageUrl } = state.result;
    return (
      <Alert tone="success" testId="registration-result">
        <p className="font-medium">
          {registration.status === 'waitlisted' ? t('waitlisted', { position: registration.position ?? 0 }) : t('registered')}
        </p>
        <p className="mt-2 text-sm">{t('manageHint')}</p>
        <Link href={manageUrl} className="mt-1 inline-block font-medium underline underline-offset-2" data-testid="manage-link">
          {t('manageLink')}
        </Link>
      </Alert>
    );
  }

  const running = state.status === 'running';
  const checkAnswers = (): boolean => showAnswerErrors(answerErrorKeys(questions, answers, 'answers'), message, setAnswerErrors, formRef.current);
  const submit = handleSubmit(
    (values) => {
      if (!checkAnswers()) return;
      const sent = answersToSend(questions, answers);
      void controller.submit({
        name: values.name,
        email: values.email,
        locale: locale === 'ru' ? 'ru' : 'en',
        ...(Object.keys(sent).length > 0 && { answers: sent }),
      });
    },
    () => void checkAnswers(),
  );
  const answer = (questionId: string, value: unknown) => {
    setAnswers((current) => ({ ...current, [questionId]: value }));
    setAnswerErrors(({ [`answers.${questionId}`]: _cleared, ...rest }) => rest);
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="flex flex-col gap-4" data-testid="register-form">
      {state.status === 'failed' && (
        <Alert tone="error" testId="form-error">
          {state.error.code === 'VALIDATION_FAILED' ? t('fixFields') : errorText(state.error)}
        </Alert>
      )}
      {state.status === 'interrupted' && (
        <AttemptInterrupted onResend={() => void controller.resend()} onDiscard={controller.cancel} />
      )}
      <Field id="name" label={t('name')} error={message(formState.errors.name?.message)}>
        {(control) => <Input {...control} {...register('name')} autoComplete="name" />}
      </Field>
      <Field id="email" label={t('email')} error={message(formState.errors.email?.message)}>
        {(control) => <Input {...control} {...register('email')} type="email" autoComplete="email" inputMode="email" />}
      </Field>
      <QuestionFields questions={questions} prefix="answers" values={answers} errors={answerErrors} disabled={running} onChange={answer} />
      <Button type="submit" busy={running} disabled={!hydrated} data-testid="register-submit">
        {waitlisted ? t('joinWaitlist') : t('submit')}
      </Button>
    </form>
  );
}
