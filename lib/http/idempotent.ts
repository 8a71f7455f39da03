// The bridge between HTTP handlers and the domain-neutral idempotency layer:
// a handler's answer or thrown AppError becomes the operation's outcome, and
// each result of the layer becomes its HTTP answer (docs/api.md, Idempotency).
import type { Tx } from '@/lib/db/pool';
import { AppError, type ErrorCode } from '@/lib/errors';
import type { Locale } from '@/lib/i18n/config';
import {
  withIdempotency,
  type ClaimedRecord,
  type IdempotencyResult,
  type IdempotentRequest,
  type OperationOutcome,
  type Resource,
} from '@/lib/idempotency';
import { errorResponse, type JsonResponse } from './envelope';

export const REPLAY_HEADER = 'X-Idempotency-Replay';
export const STORED_HEADER = 'X-Idempotency-Stored';
/** The IETF draft's spelling (draft-ietf-httpapi-idempotency-key-header), sent beside ours on every replay. */
export const IETF_REPLAY_HEADER = 'Idempotent-Replayed';

export type IdempotentHandler = (tx: Tx, record: ClaimedRecord) => Promise<JsonResponse & { resource?: Resource }>;

export type IdempotentHttpRequest = Omit<IdempotentRequest, 'replayedHeaders'> & {
  locale: Locale;
  /** The error code by which the operation asks for confirmation (route().confirmable()): thrown, it parks the record. */
  confirmationCode?: ErrorCode | null;
};

/** How a handler ended, told to the layer: an error answer rolls back; a question for confirmation parks. */
async function outcomeOf(
  handler: IdempotentHandler,
  tx: Tx,
  record: ClaimedRecord,
  locale: Locale,
  confirmationCode: ErrorCode | null,
): Promise<OperationOutcome> {
  try {
    const { resource, ...response } = await handler(tx, record);
    return response.status >= 400 ? { kind: 'refused', response } : { kind: 'completed', response, resource };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const response = errorResponse(error, locale);
    return error.code === confirmationCode ? { kind: 'awaiting_confirmation', response } : { kind: 'refused', response };
  }
}

const flagged = (response: JsonResponse, header: string): JsonResponse => ({
  ...response,
  headers: { ...response.headers, [header]: 'true' },
});

/** The HTTP answer for what the layer did. */
function answerOf(result: IdempotencyResult, locale: Locale): JsonResponse {
  switch (result.kind) {
    case 'executed':
      return result.outcome === 'refused' ? result.response : flagged(result.response, STORED_HEADER);
    case 'replayed':
      return flagged(flagged(result.response, REPLAY_HEADER), IETF_REPLAY_HEADER);
    case 'not_stored':
      return flagged(flagged(errorResponse(new AppError('IDEMPOTENCY_RESPONSE_NOT_STORED'), locale), REPLAY_HEADER), IETF_REPLAY_HEADER);
    case 'in_progress':
      return errorResponse(new AppError('REQUEST_IN_PROGRESS', { retryAfterSeconds: result.retryAfterSeconds }), locale);
    case 'mismatch':
      return errorResponse(
        new AppError('IDEMPOTENCY_KEY_REUSED', {
          details: { differingFields: result.differingFields, differingParams: result.differingParams },
        }),
        locale,
      );
  }
}

/** Runs a handler exactly once per (principal, operation, key) and answers as HTTP. */
export async function runIdempotent(request: IdempotentHttpRequest, handler: IdempotentHandler): Promise<JsonResponse> {
  const { locale, confirmationCode = null, ...layerRequest } = request;
  const result = await withIdempotency(layerRequest, (tx, record) => outcomeOf(handler, tx, record, locale, confirmationCode));
  return answerOf(result, locale);
}
