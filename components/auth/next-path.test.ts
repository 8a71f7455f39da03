import { describe, expect, it } from 'vitest';
import { safeNextPath } from './next-path';

describe('safeNextPath', () => {
  it('keeps a same-site path with its query', () => {
    expect(safeNextPath('/events/new?x=1')).toBe('/events/new?x=1');
  });

  it('refuses other sites and odd forms', () => {
    for (const next of ['https://evil.test/', '//evil.test', '/\\evil.test', 'events', '', null, undefined]) {
      expect(safeNextPath(next)).toBe('/events');
    }
  });

  it('does not loop back to the auth pages', () => {
    expect(safeNextPath('/sign-in?next=/billing')).toBe('/events');
  });
});
