'use client';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useForm, type FieldPath } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslations } from 'next-intl';
import type { ClientError } from '@/lib/actions/api-client';
import {
  eventFormSchema,
  formFieldOf,
  startsInFuture,
  type EventFormOutput,
  type EventFormValues,
} from '@/lib/events/form';
import { browserTimeZone, timeZoneOptions } from '@/lib/events/zoned-time';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input, Select, Textarea } from '@/components/ui/input';
import { useHydrated } from '@/components/ui/use-hydrated';
import { useServerFieldErrors } from '@/components/ui/use-server-field-errors';
import { KEEPS_FORM_ATTRIBUTE, saveFormDraft, takeFormDraft } from './form-draft';
import { useUnsavedChangesGuard } from './use-unsaved-changes-guard';

type EventFormProps = {
  mode: 'create' | 'edit';
  defaultValues: EventFormValues;
  /** Shown under the participants field. */
  participantsHint?: string;
  busy: boolean;
  /** Stops the submit button (e.g. while the credit modal is open). */
  locked: boolean;
  /** The last attempt finished: nothing left unsaved. */
  saved: boolean;
  /** The last failed attempt's error: its fieldErrors go on the fields, once. */
  serverError: ClientError | null;
  /** Alerts above the buttons. */
  notice?: ReactNode;
  /** `draft` from the create form's "Save as draft" (no start-in-the-future rule: drafts may be anywhere in time). */
  onSubmit: (output: EventFormOutput, intent: SubmitIntent) => void;
};

export type SubmitIntent = 'publish' | 'draft';

export function EventForm({
  mode,
  defaultValues,
  participantsHint,
  busy,
  locked,
  saved,
  serverError,
  notice,
  onSubmit,
}: EventFormProps) {
  const t = useTranslations('eventForm');
  const hydrated = useHydrated();
  const tValidation = useTranslations('validation');
  const form = useForm<EventFormValues, unknown, EventFormOutput>({
    resolver: zodResolver(eventFormSchema),
    defaultValues,
    mode: 'onTouched',
  });
  const { register, handleSubmit, formState, setError, watch, getFieldState, setValue } = form;
  const locationType = watch('location.type');
  const timezone = watch('timezone');

  // The zone list and the browser's zone are known only in the browser: fill them in after hydration.
  const [zones, setZones] = useState<string[]>([defaultValues.timezone]);
  useEffect(() => {
    setZones(timeZoneOptions([defaultValues.timezone, browserTimeZone()]));
    if (mode === 'create' && !getFieldState('timezone').isDirty) setValue('timezone', browserTimeZone());
  }, [mode, defaultValues.timezone, getFieldState, setValue]);
  const zoneOptions = useMemo(() => (zones.includes(timezone) ? zones : [...zones, timezone]), [zones, timezone]);

  useServerFieldErrors(setError, serverError, {
    fieldOf: (field) => formFieldOf(field, locationType) as FieldPath<EventFormValues>,
    focusFirst: true,
  });

  useUnsavedChangesGuard(formState.isDirty && !saved, t('leaveConfirm'));

  // Back from billing (the credit modal's link): the values the organiser had typed.
  useEffect(() => {
    const draft = takeFormDraft(window.location.pathname);
    if (draft) form.reset(draft, { keepDefaultValues: true });
  }, [form]);
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const link = event.target instanceof Element ? event.target.closest(`a[${KEEPS_FORM_ATTRIBUTE}]`) : null;
      if (link) saveFormDraft(window.location.pathname, form.getValues());
    };
    document.addEventListener('click', onClick, true);
    return () => document.removeEventListener('click', onClick, true);
  }, [form]);

  /** Client issues are keys under `validation`; server ones are already sentences. */
  const message = (text: string | undefined): string | undefined => {
    if (!text) return undefined;
    return tValidation.has(text) ? tValidation(text) : text;
  };
  const errors = formState.errors;

  const [intent, setIntent] = useState<SubmitIntent>('publish');
  const submitAs = (next: SubmitIntent) =>
    handleSubmit((output) => {
      setIntent(next);
      if (mode === 'create' && next === 'publish' && !startsInFuture(output)) {
        setError('startsAt', { type: 'client', message: 'startsInFuture' }, { shouldFocus: true });
        return;
      }
      onSubmit(output, next);
    });
  const submit = submitAs('publish');

  return (
    <form onSubmit={submit} method="post" noValidate className="flex flex-col gap-6" data-testid="event-form">
      <Field id="title" label={t('title')} error={message(errors.title?.message)}>
        {(control) => <Input {...control} {...register('title')} autoComplete="off" maxLength={200} />}
      </Field>

      <Field id="description" label={t('description')} error={message(errors.description?.message)}>
        {(control) => <Textarea {...control} {...register('description')} rows={4} />}
      </Field>

      <div className="grid gap-6 sm:grid-cols-2">
        <Field id="startsAt" label={t('startsAt')} error={message(errors.startsAt?.message)}>
          {(control) => <Input {...control} {...register('startsAt')} type="datetime-local" />}
        </Field>
        <Field id="endsAt" label={t('endsAt')} error={message(errors.endsAt?.message)}>
          {(control) => <Input {...control} {...register('endsAt')} type="datetime-local" />}
        </Field>
      </div>

      <Field id="timezone" label={t('timezone')} error={message(errors.timezone?.message)}>
        {(control) => (
          <Select {...control} {...register('timezone')} value={timezone}>
            {zoneOptions.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll('_', ' ')}
              </option>
            ))}
          </Select>
        )}
      </Field>

      <fieldset className="flex flex-col gap-3">
        <legend className="mb-1.5 text-sm font-medium text-slate-800">{t('locationType')}</legend>
        <div className="grid grid-cols-2 gap-2 sm:max-w-sm">
          {(['in_person', 'online'] as const).map((type) => (
            <label
              key={type}
              className="flex min-h-10 cursor-pointer items-center gap-2 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-800 shadow-sm has-checked:border-indigo-600 has-checked:bg-indigo-50 has-checked:text-indigo-900 has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-indigo-600"
            >
              <input
                type="radio"
                value={type}
                {...register('location.type')}
                className="size-4 accent-indigo-600 focus:outline-none"
              />
              {type === 'in_person' ? t('inPerson') : t('online')}
            </label>
          ))}
        </div>
        {locationType === 'online' ? (
          <Field key="url" id="location.url" label={t('url')} error={message(errors.location?.url?.message)}>
            {(control) => (
              <Input {...control} {...register('location.url')} type="url" inputMode="url" placeholder="https://" />
            )}
          </Field>
        ) : (
          <Field
            key="address"
            id="location.address"
            label={t('address')}
            error={message(errors.location?.address?.message)}
          >
            {(control) => <Input {...control} {...register('location.address')} autoComplete="street-address" />}
          </Field>
        )}
      </fieldset>

      <div className="grid gap-6 sm:grid-cols-2">
        <Field
          id="maxParticipants"
          label={t('maxParticipants')}
          hint={participantsHint}
          error={message(errors.maxParticipants?.message)}
        >
          {(control) => (
            <Input {...control} {...register('maxParticipants')} type="number" inputMode="numeric" min={1} step={1} />
          )}
        </Field>
        <Field id="visibility" label={t('visibility')} error={message(errors.visibility?.message)}>
          {(control) => (
            <Select {...control} {...register('visibility')}>
              <option value="public">{t('visibilityPublic')}</option>
              <option value="unlisted">{t('visibilityUnlisted')}</option>
            </Select>
          )}
        </Field>
      </div>

      <div className="flex flex-col gap-1.5">
        <label className="flex w-fit cursor-pointer items-center gap-2 text-sm font-medium text-slate-800">
          <input
            type="checkbox"
            {...register('waitlist')}
            aria-describedby="waitlist-hint"
            className="size-4 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            data-testid="event-form-waitlist"
          />
          {t('waitlist')}
        </label>
        <p id="waitlist-hint" className="text-sm text-slate-600">
          {t('waitlistHint')}
        </p>
      </div>

      {notice}

      <div className="flex flex-col-reverse gap-3 border-t border-slate-200 pt-6 sm:flex-row sm:justify-end">
        {mode === 'create' && (
          <Button
            variant="secondary"
            busy={busy && intent === 'draft'}
            disabled={busy || locked || !hydrated}
            onClick={() => void submitAs('draft')()}
            data-testid="event-form-save-draft"
          >
            {t('saveDraft')}
          </Button>
        )}
        <Button
          type="submit"
          busy={busy && intent === 'publish'}
          disabled={busy || locked || !hydrated}
          className="sm:min-w-40"
          data-testid="event-form-submit"
        >
          {mode === 'create' ? t('create') : t('save')}
        </Button>
      </div>
    </form>
  );
}
