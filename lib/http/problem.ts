// RFC 9457 problem details (docs/api.md, "Integrations"): the same error as
// the envelope, spelled for clients whose Accept prefers
// application/problem+json. The envelope stays the default: the conversion
// happens last, on the finished answer, so every error of every step (and
// a replayed stored error) is converted the same way.
import { STATUS_CODES } from 'node:http';
import type { ErrorBody } from '@/lib/errors';

export const PROBLEM_JSON = 'application/problem+json';

/** The q of the first Accept range that matches `type` (exact, `type/*`, `*\/*`), 0 when none does. */
function qualityOf(accept: string, type: string): number {
  const [major] = type.split('/');
  let best: { specificity: number; q: number } | null = null;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const specificity = range === type ? 3 : range === `${major}/*` ? 2 : range === '*/*' ? 1 : 0;
    if (specificity > 0 && Number.isFinite(q) && (!best || specificity > best.specificity)) best = { specificity, q };
  }
  return best?.q ?? 0;
}

/** Accept prefers problem details over plain JSON (a tie keeps the envelope). */
export function prefersProblemJson(request: Request): boolean {
  const accept = request.headers.get('accept');
  if (!accept?.toLowerCase().includes('problem+json')) return false;
  return qualityOf(accept, PROBLEM_JSON) > qualityOf(accept, 'application/json');
}

export type ProblemDetails = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorBody['code'];
  details?: Record<string, unknown>;
  fieldErrors?: Record<string, string[]>;
};

export function toProblem(status: number, error: ErrorBody): ProblemDetails {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail: error.message,
    code: error.code,
    ...(error.details && { details: error.details }),
    ...(error.fieldErrors && { fieldErrors: error.fieldErrors }),
  };
}

function isErrorEnvelope(body: unknown): body is { success: false; error: ErrorBody } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error: unknown = body.error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

/** An error answer in the envelope becomes problem details when the request asks for them; anything else is returned as it is. */
export async function asProblemIfAsked(request: Request, response: Response): Promise<Response> {
  if (response.status < 400 || !response.headers.get('content-type')?.startsWith('application/json')) return response;
  if (!prefersProblemJson(request)) return response;
  const body: unknown = JSON.parse(await response.text());
  if (!isErrorEnvelope(body)) return response;
  const headers = new Headers(response.headers);
  headers.set('Content-Type', `${PROBLEM_JSON}; charset=utf-8`);
  return new Response(JSON.stringify(toProblem(response.status, body.error)), { status: response.status, headers });
}
