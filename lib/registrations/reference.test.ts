import { describe, expect, it } from 'vitest';
import { formatReference, newReference, normaliseReference, REFERENCE_ALPHABET, REFERENCE_PATTERN } from './reference';

describe('newReference', () => {
  it('draws 8 characters of Crockford base32, never I, L, O or U', () => {
    for (let i = 0; i < 2_000; i += 1) {
      const reference = newReference();
      expect(reference).toMatch(REFERENCE_PATTERN);
      expect(reference).not.toMatch(/[ILOU]/);
    }
  });

  it('uses the whole alphabet in every position (40 random bits, none fixed)', () => {
    const seen = Array.from({ length: 8 }, () => new Set<string>());
    for (let i = 0; i < 5_000; i += 1) {
      for (const [position, char] of [...newReference()].entries()) seen[position]?.add(char);
    }
    for (const position of seen) expect(position.size).toBe(REFERENCE_ALPHABET.length);
  });
});

describe('normaliseReference', () => {
  it('takes what a person types: any case, spaces and dashes, O for 0, I and L for 1', () => {
    expect(normaliseReference('7KQ2M9XD')).toBe('7KQ2M9XD');
    expect(normaliseReference('7kq2-m9xd')).toBe('7KQ2M9XD');
    expect(normaliseReference('  7KQ2 M9XD \t')).toBe('7KQ2M9XD');
    expect(normaliseReference('7k-q2 m-9xd')).toBe('7KQ2M9XD');
    expect(normaliseReference('OoIiLl00')).toBe('00111100');
    expect(normaliseReference('A0B1-C1D0')).toBe(normaliseReference('aobi-cldo'));
  });

  it('refuses what cannot be a reference', () => {
    for (const typed of ['', '7KQ2M9X', '7KQ2M9XDZ', 'UUUU0000', '7KQ2_M9XD', '7KQ2.M9XD', 'ЖKQ2M9XD', 'A'.repeat(107)]) {
      expect(normaliseReference(typed), typed).toBeNull();
    }
  });

  it('reads back what is printed', () => {
    const reference = newReference();
    expect(formatReference(reference)).toBe(`${reference.slice(0, 4)}-${reference.slice(4)}`);
    expect(normaliseReference(formatReference(reference))).toBe(reference);
  });
});
