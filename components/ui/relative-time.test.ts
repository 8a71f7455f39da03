import { describe, expect, it } from 'vitest';
import { relativeTime } from './relative-time';

describe('relativeTime', () => {
  const now = new Date('2026-12-08T12:00:00Z');
  it('picks the largest unit that fits, in the reader language', () => {
    expect(relativeTime(new Date('2026-12-08T11:59:30Z'), now, 'en')).toBe('30 seconds ago');
    expect(relativeTime(new Date('2026-12-08T11:55:00Z'), now, 'en')).toBe('5 minutes ago');
    expect(relativeTime(new Date('2026-12-08T09:00:00Z'), now, 'en')).toBe('3 hours ago');
    expect(relativeTime(new Date('2026-12-07T12:00:00Z'), now, 'en')).toBe('yesterday');
    expect(relativeTime(new Date('2026-12-08T11:55:00Z'), now, 'ru')).toBe('5 минут назад');
  });
  it('says now for the present moment', () => {
    expect(relativeTime(now, now, 'en')).toBe('now');
  });
});
