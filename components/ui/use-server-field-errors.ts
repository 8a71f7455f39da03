'use client';
import { useEffect } from 'react';
import type { FieldPath, FieldValues, UseFormSetError } from 'react-hook-form';
import type { ClientError } from '@/lib/actions/api-client';

type Options<T extends FieldValues> = {
  /** The form's field for a field the server named; null leaves that message to the notice. By default the same name. */
  fieldOf?: (field: string) => FieldPath<T> | null;
  /** Focus the first field given an error. */
  focusFirst?: boolean;
};

/**
 * A 400's `fieldErrors` (the envelope's `details.fieldErrors`) on the form's
 * fields, once per failed request (`error` is a new object each time): each
 * field's messages as one `server` error, already in the request's language.
 */
export function useServerFieldErrors<T extends FieldValues>(
  setError: UseFormSetError<T>,
  error: ClientError | null | undefined,
  { fieldOf = (field) => field as FieldPath<T>, focusFirst = false }: Options<T> = {},
): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per failure; the field mapping is read as it was then.
  useEffect(() => {
    if (!error?.fieldErrors) return;
    let first = true;
    for (const [field, messages] of Object.entries(error.fieldErrors)) {
      const name = fieldOf(field);
      if (name === null) continue;
      setError(name, { type: 'server', message: messages.join(' ') }, { shouldFocus: focusFirst && first });
      first = false;
    }
  }, [error, setError]);
}
