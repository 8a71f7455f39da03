import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiRoute, apiUrl } from '@/lib/api-routes';
import { apiCall } from './api-client';

describe('apiUrl', () => {
  it('fills the route template with encoded parameters', () => {
    expect(apiUrl('/api/events/[id]/orders/[oid]/refund', { id: 'e1', oid: 'o 2' })).toBe('/api/events/e1/orders/o%202/refund');
    expect(apiUrl('/api/public/events/[slug]/calendar.ics', { slug: 'a/b' })).toBe('/api/public/events/a%2Fb/calendar.ics');
  });

  it('adds the query in order and leaves out undefined values', () => {
    expect(apiUrl('/api/events/[id]/registrations', { id: 'e1' }, { cursor: 'c', status: undefined, q: 'ann lee', limit: 1 })).toBe(
      '/api/events/e1/registrations?cursor=c&q=ann+lee&limit=1',
    );
    expect(apiUrl('/api/events', {}, { confirm_credit: undefined })).toBe('/api/events');
    expect(apiUrl('/api/idempotency/[key]', { key: 'k' }, new URLSearchParams({ route: 'POST /api/events' }))).toBe(
      '/api/idempotency/k?route=POST+%2Fapi%2Fevents',
    );
  });
});

describe('apiCall', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("sends the route's method to its filled URL with the body and the key, and reads the envelope's data", async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ success: true, data: { ticketType: { id: 't1' } } }), { status: 201 }));
    vi.stubGlobal('fetch', fetch);
    const result = await apiCall(apiRoute('PATCH', '/api/events/[id]/ticket-types/[tid]'), {
      params: { id: 'e1', tid: 't1' },
      body: { name: 'VIP' },
      correlationId: 'key-1',
    });
    expect(result.ok && result.data.ticketType.id).toBe('t1');
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/events/e1/ticket-types/t1');
    expect(init.method).toBe('PATCH');
    expect(init.body).toBe('{"name":"VIP"}');
    expect(new Headers(init.headers).get('idempotency-key')).toBe('key-1');
  });
});
