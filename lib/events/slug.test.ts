import { describe, expect, it } from 'vitest';
import { isSlug, newEventSlug, slugBase } from './slug';

describe('event slugs', () => {
  it('keeps ASCII words of the title, lower-case, hyphenated', () => {
    expect(slugBase('  Spring Meetup: Talks & Tea!! ')).toBe('spring-meetup-talks-tea');
    expect(slugBase('Café Crème')).toBe('cafe-creme');
  });

  it('falls back to "event" when no ASCII letter or digit is left', () => {
    expect(slugBase('Весенняя встреча')).toBe('event');
  });

  it('cuts long titles and never ends on a hyphen', () => {
    const base = slugBase(`${'a'.repeat(39)} bcd`);
    expect(base.length).toBeLessThanOrEqual(40);
    expect(base.endsWith('-')).toBe(false);
  });

  it('gives every new slug a random suffix and the shape the database checks', () => {
    const a = newEventSlug('Spring meetup');
    const b = newEventSlug('Spring meetup');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^spring-meetup-[0-9a-f]{12}$/);
    expect(isSlug(a)).toBe(true);
    expect(isSlug('Not A Slug')).toBe(false);
    expect(isSlug('trailing-')).toBe(false);
  });
});
