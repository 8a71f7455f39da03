// Path parameters, checked in one place (the route builder) before any route
// reads one, as the body is (docs/api.md, "Nothing the client sends makes a
// 500"): a segment with NUL or a lone surrogate (Postgres refuses them in text
// and jsonb, and the idempotency record stores the params), one longer than any
// id, or one not of its parameter's shape names nothing: 404 NOT_FOUND. Each
// parameter name of lib/api-routes.ts has its shape here; the compiler refuses a
// new one without.
import type { ApiPath, ParamsOf } from '@/lib/api-routes';
import { AppError, type ErrorCode } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { normaliseReference } from '@/lib/registrations/reference';
import { parseIdempotencyKey } from '@/lib/idempotency';
import { TOKEN_PATTERN } from '@/lib/tokens';
import { unstorable } from './storable-json';

/** Longer than any id, slug or token the app hands out; a segment past it is refused before any shape test. */
export const MAX_PARAM_LENGTH = 200;

// The events_slug_format CHECK (lib/events/slug.ts isSlug).
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

type ParamName = keyof ParamsOf<ApiPath>;

/** Whether a segment can name anything. */
const SHAPES: Record<ParamName, (value: string) => boolean> = {
  id: isUuid,
  // A registration's id, or its reference as typed (the check-in takes either; the cancel route ids only).
  rid: (v) => isUuid(v) || normaliseReference(v) !== null,
  oid: isUuid,
  tid: isUuid,
  did: isUuid,
  rfid: isUuid,
  cid: isUuid,
  qid: isUuid,
  // A team member's user id; a pending invitation's id.
  uid: isUuid,
  iid: isUuid,
  slug: (v) => v.length <= 80 && SLUG.test(v),
  // Manage tokens of registrations and orders.
  token: (v) => TOKEN_PATTERN.test(v),
  key: (v) => {
    try {
      return parseIdempotencyKey(v) !== null;
    } catch {
      return false;
    }
  },
};

/** Where the contract names another answer than 404 for a param that is not one (docs/api.md, "Attempt outcomes"). */
const REFUSED_AS: Partial<Record<ParamName, ErrorCode>> = { key: 'INVALID_IDEMPOTENCY_KEY' };

const hasShape = (name: string): name is ParamName => Object.hasOwn(SHAPES, name);

function segmentOk(value: string): boolean {
  return value.length > 0 && value.length <= MAX_PARAM_LENGTH && !unstorable(value);
}

/**
 * The params Next hands a route, checked: every segment (a catch-all's too)
 * storable and short, and each named parameter of its shape. Throws 404
 * NOT_FOUND otherwise (400 INVALID_IDEMPOTENCY_KEY for the outcome lookup's key).
 */
export function checkedParams(raw: Record<string, string | string[]>): Record<string, string> {
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const segments = Array.isArray(value) ? value : [value];
    const refused = new AppError(hasShape(name) ? (REFUSED_AS[name] ?? 'NOT_FOUND') : 'NOT_FOUND');
    if (!segments.every((s) => typeof s === 'string' && segmentOk(s))) throw refused;
    if (Array.isArray(value)) continue; // a catch-all is never read (ParamsOf leaves it out)
    if (hasShape(name) && !SHAPES[name](value)) throw refused;
    checked[name] = value;
  }
  return checked;
}
