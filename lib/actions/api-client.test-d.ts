// Compiled by `tsc --noEmit` (npm run typecheck), never run: every line under
// a @ts-expect-error must fail to compile, or the typecheck fails. It holds
// the browser's calls to the route table and to the answers' map.
import { apiRoute, apiUrl } from '@/lib/api-routes';
import type { EventWrite } from '@/lib/events/schemas';
import type { RegistrationList } from '@/lib/registrations/schemas';
import { apiCall } from './api-client';
import type { ResponseOf } from './api-responses';

export function urls(): string[] {
  return [
    apiUrl('/api/events'),
    apiUrl('/api/events/[id]/registrations', { id: 'e' }, { status: 'confirmed', limit: 1 }),
    // @ts-expect-error a path no route serves
    apiUrl('/api/event/[id]', { id: 'e' }),
    // @ts-expect-error the route's parameter is missing
    apiUrl('/api/events/[id]', {}),
    // @ts-expect-error the route takes parameters
    apiUrl('/api/events/[id]'),
    // @ts-expect-error a parameter of another route
    apiUrl('/api/events/[id]', { slug: 'e' }),
    // @ts-expect-error a route without parameters takes none
    apiUrl('/api/events', { id: 'e' }),
    // @ts-expect-error a query value that is not a string, number or boolean
    apiUrl('/api/events', {}, { cursor: { at: 1 } }),
  ];
}

export async function answers(): Promise<void> {
  // @ts-expect-error a method the route does not serve
  apiRoute('PUT', '/api/events');
  // @ts-expect-error the route takes parameters
  await apiCall(apiRoute('GET', '/api/events/[id]'));
  // @ts-expect-error a parameter of another route
  await apiCall(apiRoute('GET', '/api/events/[id]'), { params: { slug: 'e' } });

  const created = await apiCall(apiRoute('POST', '/api/events'), { body: {} });
  if (created.ok) {
    const write: EventWrite = created.data;
    // @ts-expect-error a create answers the event and the credit, not a page of registrations
    const list: RegistrationList = created.data;
    void [write, list];
  }
  const removed = await apiCall(apiRoute('DELETE', '/api/events/[id]'), { params: { id: 'e' } });
  if (removed.ok) {
    const none: null = removed.data;
    // @ts-expect-error a 204 has no body to read
    const event: EventWrite = removed.data;
    void [none, event];
  }
  const page = await apiCall(apiRoute('GET', '/api/events/[id]/registrations'), { params: { id: 'e' }, query: { status: 'waitlisted' } });
  if (page.ok) {
    const rows: RegistrationList['registrations'] = page.data.registrations;
    // @ts-expect-error a page of registrations has no `events`
    void page.data.events;
    void rows;
  }
  // @ts-expect-error a CSV file has no envelope to read: it is a link (apiUrl)
  await apiCall(apiRoute('GET', '/api/events/[id]/registrations.csv'), { params: { id: 'e' } });
  // @ts-expect-error a route answers what the map says, not what the caller hopes
  const wrong: ResponseOf<'GET', '/api/events/[id]'> = { event: null };
  void wrong;
}
