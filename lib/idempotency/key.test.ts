import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { parseIdempotencyKey } from './key';

const KEY = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';

function rejection(header: string): string | undefined {
  try {
    parseIdempotencyKey(header);
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return undefined;
}

describe('parseIdempotencyKey', () => {
  it('answers null when the header is absent', () => {
    expect(parseIdempotencyKey(null)).toBeNull();
  });

  it.each([
    ['bare', KEY],
    ['quoted', `"${KEY}"`],
    ['upper-case', KEY.toUpperCase()],
    ['quoted upper-case', `"${KEY.toUpperCase()}"`],
    ['surrounded by whitespace', `  ${KEY}\t`],
  ])('accepts a %s UUID and returns it lower-case', (_, header) => {
    expect(parseIdempotencyKey(header)).toBe(KEY);
  });

  it('accepts any UUID version, as crypto.randomUUID and other clients send', () => {
    expect(parseIdempotencyKey('00000000-0000-0000-0000-000000000000')).toBe('00000000-0000-0000-0000-000000000000');
    expect(parseIdempotencyKey('018f3c1e-7b2a-7c3d-9e4f-5a6b7c8d9e0f')).toBe('018f3c1e-7b2a-7c3d-9e4f-5a6b7c8d9e0f');
  });

  it.each([
    ['empty', ''],
    ['only quotes', '""'],
    ['only whitespace', '   '],
    ['not a UUID', 'order-42'],
    ['a UUID without dashes', KEY.replace(/-/g, '')],
    ['a UUID in braces', `{${KEY}}`],
    ['a UUID with a non-hex digit', KEY.replace('b', 'g')],
    ['a UUID with a trailing character', `${KEY}0`],
    ['unbalanced quotes', `"${KEY}`],
    ['too long', `"${KEY}${' '.repeat(50)}"`],
    ['two keys', `${KEY}, ${KEY}`],
  ])('rejects %s with INVALID_IDEMPOTENCY_KEY', (_, header) => {
    expect(rejection(header)).toBe('INVALID_IDEMPOTENCY_KEY');
  });
});
