import { createHash } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSON with object keys sorted at every depth: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(source)
        .sort()
        .filter((key) => source[key] !== undefined)
        .map((key) => [key, sortKeys(source[key])]),
    );
  }
  return value;
}

export type RequestShape = {
  method: string;
  /** The route template, e.g. `PATCH /api/events/[id]`. */
  route: string;
  params: Record<string, string>;
  /** The parsed JSON body (null when there is none). The query string, so the flag that confirms, is not part of it. */
  body: unknown;
};

/** SHA-256 over method, route template, path params and the canonical body. */
export function requestFingerprint(request: RequestShape): string {
  return createHash('sha256')
    .update(canonicalJson([request.method.toUpperCase(), request.route, request.params, request.body ?? null]))
    .digest('hex');
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * JSON Pointers (RFC 6901) to every place where the two values differ; the
 * whole document is the empty pointer "" ("/" would name a member called "").
 */
export function differingPointers(a: unknown, b: unknown, base = ''): string[] {
  const bothObjects =
    a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) return canonicalJson(a) === canonicalJson(b) ? [] : [base];
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  return keys.flatMap((key) => differingPointers(left[key], right[key], `${base}/${escapePointer(key)}`));
}
