import { describe, expect, it } from 'vitest';
import { nameFromEmail } from './profiles';

describe('nameFromEmail: the display name of an organiser who gave none', () => {
  it("is the email's local part, words capitalised, without a +tag", () => {
    expect(nameFromEmail('anna.smith+events@example.com')).toBe('Anna Smith');
    expect(nameFromEmail('ivan_petrov-2@example.ru')).toBe('Ivan Petrov 2');
    expect(nameFromEmail('demo@example.com')).toBe('Demo');
  });

  it('is null when nothing is left', () => {
    expect(nameFromEmail('+@example.com')).toBeNull();
    expect(nameFromEmail('...@example.com')).toBeNull();
  });
});
