// JSON that parses but Postgres cannot store, or that our code must not walk
// recursively (docs/api.md, "Nothing the client sends makes a 500"): NUL in a
// string (text and jsonb refuse it), a lone UTF-16 surrogate (not UTF-8 at
// all), nesting deeper than MAX_JSON_DEPTH. Walked with an explicit stack, so
// a body nested 20,000 levels deep is refused, not a stack overflow.
import { AppError } from '@/lib/errors';

export const MAX_JSON_DEPTH = 32;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string Postgres refuses in text and jsonb (NUL), or that is not UTF-8 at all (a lone surrogate). */
export function unstorable(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

const MAX_REPORTED = 20;

/** Throws 400 VALIDATION_FAILED naming the offending fields (or `body` when the nesting itself is the problem). */
export function assertStorableJson(value: unknown): void {
  const bad: string[] = [];
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0 && bad.length < MAX_REPORTED) {
    const item = stack.pop();
    if (!item) break;
    const { value: v, path } = item;
    if (typeof v === 'string') {
      if (unstorable(v)) bad.push(path.join('.'));
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH) {
      throw new AppError('VALIDATION_FAILED', { fieldErrors: { body: ['tooDeep'] } });
    }
    if (Array.isArray(v)) {
      for (const [i, child] of v.entries()) stack.push({ value: child, path: [...path, String(i)] });
    } else {
      for (const [k, child] of Object.entries(v)) {
        const childPath = [...path, k];
        if (unstorable(k)) bad.push(childPath.join('.'));
        stack.push({ value: child, path: childPath });
      }
    }
  }
  if (bad.length === 0) return;
  const names = bad.map((p) => (p && !unstorable(p) ? p : 'body'));
  throw new AppError('VALIDATION_FAILED', { fieldErrors: Object.fromEntries(names.map((p) => [p, ['invalid']])) });
}
