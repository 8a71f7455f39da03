// The browser side of reload-proof attempts: the tab's sessionStorage, and the
// server's answer to "what became of this attempt?" (docs/api.md, "Attempt outcomes").
import { apiRoute, routeLabel, type Endpoint } from '@/lib/api-routes';
import type { AttemptOutcome, AttemptPersistence, AttemptStore } from './action-controller';
import { apiCall } from './api-client';

const OUTCOMES: readonly AttemptOutcome[] = ['completed', 'in_progress', 'awaiting_confirmation', 'failed'];

function isOutcome(value: unknown): value is AttemptOutcome {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value);
}

/** Asks GET /api/idempotency/:key for the caller's record of this attempt on `route` (scoped as `POST /api/events`). */
export async function lookupAttempt(route: Endpoint, correlationId: string, signal: AbortSignal): Promise<AttemptOutcome> {
  const result = await apiCall(apiRoute('GET', '/api/idempotency/[key]'), { params: { key: correlationId }, query: { route: routeLabel(route) }, signal });
  const status = result.ok ? result.data?.record?.status : undefined;
  return isOutcome(status) ? status : 'unknown';
}

function sessionStore(): AttemptStore | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.sessionStorage;
  } catch {
    return undefined; // storage disabled: attempts then live in memory only
  }
}

/**
 * Persistence for one form's attempts on one route, or undefined where there
 * is no browser storage (server rendering). `parse` checks a stored payload.
 */
export function tabPersistence<P>(route: Endpoint, formKey: string, parse: (value: unknown) => P | null): AttemptPersistence<P> | undefined {
  const store = sessionStore();
  if (!store) return undefined;
  return {
    store,
    key: `attempt:${formKey}`,
    parse,
    lookup: (correlationId, signal) => lookupAttempt(route, correlationId, signal),
  };
}
