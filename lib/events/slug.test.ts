import { describe, expect, it } from 'vitest';
import { isSlug, newEventSlug, slugBase } from './slug';

describe('event slugs', () => {
  it('keeps the words of the title, lower-case, hyphenated', () => {
    expect(slugBase('  Spring Meetup: Talks & Tea!! ')).toBe('spring-meetup-talks-and-tea');
    expect(slugBase('Café Crème')).toBe('cafe-creme');
  });

  it('transliterates Cyrillic titles instead of dropping them', () => {
    expect(slugBase('Встреча в Москве')).toBe('vstrecha-v-moskve');
    expect(slugBase('Ёлка и щи')).toBe('yolka-i-schi');
    expect(newEventSlug('Встреча в Москве')).toMatch(/^vstrecha-v-moskve-[0-9a-f]{12}$/);
  });

  it('falls back to "event", never an empty stem, when nothing is left to spell', () => {
    expect(slugBase('🎉🎉🎉')).toBe('event');
    expect(slugBase('!!!')).toBe('event');
    expect(slugBase('')).toBe('event');
    expect(newEventSlug('🎉')).toMatch(/^event-[0-9a-f]{12}$/);
  });

  it('cuts long titles, Cyrillic ones too, and never ends on a hyphen', () => {
    const base = slugBase(`${'a'.repeat(39)} bcd`);
    expect(base.length).toBeLessThanOrEqual(40);
    expect(base.endsWith('-')).toBe(false);
    const long = newEventSlug('Очень длинное название встречи '.repeat(4));
    expect(long.length).toBeLessThanOrEqual(80);
    expect(isSlug(long)).toBe(true);
    expect(long.startsWith('ochen-dlinnoe-nazvanie-vstrechi')).toBe(true);
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
