import { describe, expect, it } from 'vitest';
import { canonicalJson, differingPointers, requestFingerprint, type RequestShape } from './fingerprint';

const base: RequestShape = {
  method: 'POST',
  route: 'POST /api/events',
  params: {},
  body: { title: 'Launch', location: { type: 'online', url: 'https://x.test' }, tags: ['a', 'b'] },
};

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('drops undefined members, as JSON.stringify does, but keeps null', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });
});

describe('requestFingerprint', () => {
  it('is the same for the same body in another key order', () => {
    const reordered = { ...base, body: { tags: ['a', 'b'], location: { url: 'https://x.test', type: 'online' }, title: 'Launch' } };
    expect(requestFingerprint(reordered)).toBe(requestFingerprint(base));
  });

  it('is a SHA-256 hex digest and does not depend on the method case', () => {
    expect(requestFingerprint(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint({ ...base, method: 'post' })).toBe(requestFingerprint(base));
  });

  it.each<[string, Partial<RequestShape>]>([
    ['another value', { body: { ...(base.body as object), title: 'Launch!' } }],
    ['a nested change', { body: { ...(base.body as object), location: { type: 'online', url: 'https://y.test' } } }],
    ['another array order', { body: { ...(base.body as object), tags: ['b', 'a'] } }],
    ['an extra field', { body: { ...(base.body as object), extra: null } }],
    ['a number instead of a string', { body: { ...(base.body as object), title: 1 } }],
    ['no body', { body: null }],
    ['another path param', { params: { id: '2' } }],
    ['another route', { route: 'POST /api/drafts' }],
    ['another method', { method: 'PUT' }],
  ])('differs for %s', (_, change) => {
    expect(requestFingerprint({ ...base, ...change })).not.toBe(requestFingerprint(base));
  });

  it('treats a missing body and a null body alike', () => {
    expect(requestFingerprint({ ...base, body: undefined })).toBe(requestFingerprint({ ...base, body: null }));
  });
});

describe('differingPointers', () => {
  it('answers nothing for equal values in another key order', () => {
    expect(differingPointers({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it('names each differing leaf as a JSON Pointer, sorted', () => {
    const stored = { title: 'A', location: { type: 'in_person', address: 'Main St' }, max: 10 };
    const sent = { title: 'B', location: { type: 'online', url: 'https://x.test' }, max: 10 };
    expect(differingPointers(stored, sent)).toEqual(['/location/address', '/location/type', '/location/url', '/title']);
  });

  it('names a field present on one side only, and array elements by index', () => {
    expect(differingPointers({ tags: ['a', 'b'] }, { tags: ['a', 'c', 'd'], extra: true })).toEqual(['/extra', '/tags/1', '/tags/2']);
  });

  it('names a whole member that changed type', () => {
    expect(differingPointers({ location: { type: 'online' } }, { location: 'online' })).toEqual(['/location']);
    expect(differingPointers({ tags: [] }, { tags: {} })).toEqual(['/tags']);
  });

  it('names the whole document with the empty pointer, and a member called "" with /', () => {
    expect(differingPointers(null, { title: 'A' })).toEqual(['']);
    expect(differingPointers({ '': 1 }, { '': 2 })).toEqual(['/']);
  });

  it('escapes ~ and / in member names (RFC 6901)', () => {
    expect(differingPointers({ 'a/b': 1, 'c~d': 1 }, { 'a/b': 2, 'c~d': 2 })).toEqual(['/a~1b', '/c~0d']);
  });
});
