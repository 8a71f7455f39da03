import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { assertStorableJson, MAX_JSON_DEPTH } from './storable-json';

function refusal(value: unknown): AppError | null {
  try {
    assertStorableJson(value);
    return null;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

function nested(depth: number): unknown {
  return JSON.parse(`${'['.repeat(depth)}1${']'.repeat(depth)}`);
}

describe('assertStorableJson', () => {
  it('accepts ordinary JSON, paired surrogates (emoji) included', () => {
    expect(refusal({ title: 'Party 🎉', tags: ['a', { b: 'c' }], n: 1, ok: true, none: null })).toBeNull();
    expect(refusal(nested(MAX_JSON_DEPTH))).toBeNull();
  });

  it('refuses NUL and lone surrogates in values and keys, naming the field', () => {
    expect(refusal({ title: 'a\u0000b' })?.options.fieldErrors).toEqual({ title: ['invalid'] });
    expect(refusal({ title: 'a\ud800b' })?.options.fieldErrors).toEqual({ title: ['invalid'] });
    expect(refusal({ title: 'a\udc00' })?.options.fieldErrors).toEqual({ title: ['invalid'] });
    expect(refusal({ location: { address: '\udfff\ud800' } })?.options.fieldErrors).toEqual({ 'location.address': ['invalid'] });
    expect(refusal({ 'k\ud800': 1 })?.options.fieldErrors).toEqual({ body: ['invalid'] });
    expect(refusal('\ud800')?.code).toBe('VALIDATION_FAILED');
  });

  it('refuses nesting deeper than 32 levels, even 20,000 deep, without overflowing the stack', () => {
    expect(refusal(nested(MAX_JSON_DEPTH + 1))?.options.fieldErrors).toEqual({ body: ['tooDeep'] });
    expect(refusal(nested(20_000))?.code).toBe('VALIDATION_FAILED');
    expect(refusal(JSON.parse(`${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`))?.code).toBe('VALIDATION_FAILED');
  });
});
