import type { ActionState } from '@/lib/actions/action-controller';
import type { FieldErrors } from '@/lib/errors';

/** The 400's fieldErrors of a failed attempt, tagged with the attempt so they are applied once. */
export function serverErrorsOf(state: ActionState<unknown>): { attempt: string; fieldErrors: FieldErrors } | null {
  if (state.status !== 'failed' || !state.error.fieldErrors) return null;
  return { attempt: state.correlationId, fieldErrors: state.error.fieldErrors };
}
