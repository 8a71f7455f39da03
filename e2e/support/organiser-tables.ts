// Every organiser table with a few rows in it, made over HTTP as the signed-in
// organiser (and guests): for the specs that look at the tables' layout.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIRequestContext } from '@playwright/test';
import { createEventViaApi } from '../ui/helpers';
import { clientAddress } from './fixtures';

/** Long enough to break a table on a phone, with no space to wrap at. */
export const LONG_EMAIL = 'konstantin.konstantinopolsky.the-second@very-long-company-name.example.com';

export type OrganiserTables = {
  /** A free event with confirmed, waitlisted and checked-in attendees. */
  freeEventId: string;
  /** An event selling two ticket types, with two paid orders. */
  ticketedEventId: string;
  ticketedSlug: string;
  /** The local receiver the webhook endpoint delivers to; close it when done. */
  receiver: http.Server;
};

async function created<T>(response: Promise<import('@playwright/test').APIResponse>, what: string): Promise<T> {
  const res = await response;
  if (res.status() !== 201 && res.status() !== 200 && res.status() !== 202) throw new Error(`${what}: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { data: T }).data;
}

const key = () => ({ 'Idempotency-Key': randomUUID() });

export async function seedOrganiserTables(api: APIRequestContext, grantCredits: (amount: number) => Promise<number>): Promise<OrganiserTables> {
  const free = await createEventViaApi(api, { title: 'Phone tables: free', maxParticipants: 3 });
  const guests: [string, string][] = [
    ['Anna Guest', LONG_EMAIL],
    ['Boris Ivanov', 'boris@example.com'],
    ['Clara Oswald', 'clara@example.com'],
    ['Dmitri Waiting', 'dmitri@example.com'],
  ];
  const registered: { registration: { id: string } }[] = [];
  for (const [name, email] of guests) {
    registered.push(
      await created(
        api.post(`/api/public/events/${free.slug}/registrations`, { headers: { ...key(), 'X-Forwarded-For': clientAddress() }, data: { name, email } }),
        'registration',
      ),
    );
  }
  const first = registered[1]?.registration.id;
  if (first) await created(api.post(`/api/events/${free.id}/registrations/${first}/check-in`, { headers: key() }), 'check-in');

  const ticketed = await createEventViaApi(api, { title: 'Phone tables: tickets', maxParticipants: 20 });
  const standard = await created<{ ticketType: { id: string } }>(
    api.post(`/api/events/${ticketed.id}/ticket-types`, { headers: key(), data: { name: 'Standard', price: { amount: 2500, currency: 'EUR' }, quantity: 10 } }),
    'ticket type',
  );
  await created(
    api.post(`/api/events/${ticketed.id}/ticket-types`, {
      headers: key(),
      data: { name: 'Supporter with backstage access and a long name', price: { amount: 12000, currency: 'EUR' } },
    }),
    'ticket type',
  );
  for (const [name, email] of [
    ['Anna Guest', LONG_EMAIL],
    ['Boris Ivanov', 'boris@example.com'],
  ]) {
    const { manageUrl } = await created<{ manageUrl: string }>(
      api.post(`/api/public/events/${ticketed.slug}/orders`, {
        headers: { ...key(), 'X-Forwarded-For': clientAddress() },
        data: { name, email, items: [{ ticketTypeId: standard.ticketType.id, quantity: 2 }] },
      }),
      'order',
    );
    await api.get(`${manageUrl}/pay`);
    await created(api.post(`/api/public/orders/${manageUrl.slice(3)}/test-pay`, { headers: key(), data: { outcome: 'paid' } }), 'order payment');
  }

  // Codes and questions on the ticketed event (after its orders: none of them asks anything of those guests).
  await created(api.post(`/api/events/${ticketed.id}/codes`, { headers: key(), data: { code: 'FRIENDS-AND-FAMILY-2027', discount: { percent: 15 }, maxUses: 40 } }), 'code');
  await created(api.post(`/api/events/${ticketed.id}/codes`, { headers: key(), data: { code: 'VIP', discount: { amount: { amount: 500, currency: 'EUR' } } } }), 'code');
  for (const question of [
    { label: 'Dietary needs, allergies or anything else the kitchen should know about', kind: 'long_text' },
    { label: 'T-shirt size', kind: 'choice', options: [{ label: 'S' }, { label: 'M' }, { label: 'L' }], per: 'ticket' },
  ]) {
    await created(api.post(`/api/events/${ticketed.id}/questions`, { headers: key(), data: question }), 'question');
  }

  // Billing: a grant, a paid pack and an open checkout (its row links to the payment).
  await grantCredits(2);
  const paid = await created<{ checkout: { id: string } }>(api.post('/api/billing/checkout', { headers: key(), data: { packId: 'credits-5' } }), 'checkout');
  await created(api.post(`/api/billing/checkouts/${paid.checkout.id}/test-pay`, { headers: key(), data: { outcome: 'paid' } }), 'checkout payment');
  await created(api.post('/api/billing/checkout', { headers: key(), data: { packId: 'credits-1' } }), 'checkout');

  // Integrations: two keys and an endpoint with a delivery.
  for (const name of ['Spreadsheet sync', 'A key for the ticket scanner at the main entrance']) {
    await created(api.post('/api/api-keys', { headers: key(), data: { name } }), 'API key');
  }
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/a-rather-long-path-for-the-receiver`;
  const endpoint = await created<{ endpoint: { id: string } }>(
    api.post('/api/webhook-endpoints', { headers: key(), data: { url, events: ['event.updated'] } }),
    'webhook endpoint',
  );
  await created(api.post(`/api/webhook-endpoints/${endpoint.endpoint.id}/test`, { headers: key() }), 'webhook test');

  return { freeEventId: free.id, ticketedEventId: ticketed.id, ticketedSlug: ticketed.slug, receiver };
}
