import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeNextPath } from './next-path';

const ORIGIN = 'https://events.example';

/** Where a browser would land from this app after location.assign(value) or a redirect to it. */
function landing(value: string): URL {
  return new URL(value, `${ORIGIN}/sign-in?next=x`);
}

function expectSafe(value: string | null | undefined): void {
  const result = safeNextPath(value);
  expect(result.startsWith('/')).toBe(true);
  expect(result.startsWith('//')).toBe(false);
  expect(/[\u0000-\u001f\u007f\\]/.test(result)).toBe(false);
  expect(landing(result).origin).toBe(ORIGIN);
}

describe('safeNextPath', () => {
  it('keeps a same-site path with its query', () => {
    expect(safeNextPath('/events/new?x=1')).toBe('/events/new?x=1');
    expect(safeNextPath('/events/abc#part')).toBe('/events/abc#part');
  });

  it('refuses other sites and odd forms', () => {
    for (const next of [
      'https://evil.test/',
      '//evil.test',
      '/\\evil.test',
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '\t//evil.example',
      ' //evil.example',
      '/.//evil.example',
      '/\\/evil.example',
      'events',
      'javascript:alert(1)',
      '',
      null,
      undefined,
    ]) {
      expect(safeNextPath(next), JSON.stringify(next)).toBe('/events');
    }
  });

  it('the query value /%09/evil.example (a tab once decoded) goes to /events', () => {
    const next = new URLSearchParams('next=/%09/evil.example').get('next');
    expect(next).toBe('/\t/evil.example');
    expect(safeNextPath(next)).toBe('/events');
  });

  it('keeps encoded characters encoded: /%2F/evil.example is a path here, not a host', () => {
    const result = safeNextPath('/%2F/evil.example');
    expect(landing(result).origin).toBe(ORIGIN);
  });

  it('does not loop back to the auth pages', () => {
    expect(safeNextPath('/sign-in?next=/billing')).toBe('/events');
    expect(safeNextPath('/sign-up')).toBe('/events');
  });

  it('property: whatever the input, the answer is a path that lands on this origin', () => {
    const piece = fc.constantFrom('/', '\\', '\t', '\n', '\r', '\u0000', '\u001f', '\u007f', ' ', '%09', '%2F', '%2f', '%5C', '%0a', '%00', '.', '..', ':', '@', '?', '#', 'evil.example', 'http:', 'javascript:', 'events', '\u3002', '\uff0f', '\u2215');
    const crafted = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(crafted, fc.string(), fc.webUrl(), fc.webPath()), (value) => {
        expectSafe(value);
        expectSafe(`/${value}`);
        expectSafe(decodeURIComponentSafe(value));
      }),
      { numRuns: 1000 },
    );
  }, 60_000);
});

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
