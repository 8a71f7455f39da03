// Door devices (docs/api.md, "Teams, roles and door devices"): created, listed
// and revoked by the organiser; a device's bearer token reads its own event's
// snapshot and posts its scans (which record the device), nothing else; a
// revoked device is refused on its very next request; every change writes its
// audit entry. Real Request objects into the exported route handlers, on a
// real database.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { POST as postScans } from '@/app/api/events/[id]/check-in/scans/route';
import { GET as getSnapshot } from '@/app/api/events/[id]/check-in/snapshot/route';
import { DELETE as deleteDevice } from '@/app/api/events/[id]/door-devices/[did]/route';
import { GET as listDevices, POST as postDevice } from '@/app/api/events/[id]/door-devices/route';
import { GET as listOrders } from '@/app/api/events/[id]/orders/route';
import { GET as listRegistrations } from '@/app/api/events/[id]/registrations/route';
import { GET as getEvent } from '@/app/api/events/[id]/route';
import { GET as listEvents, POST as postEvent } from '@/app/api/events/route';
import { POST as postRegistration } from '@/app/api/public/events/[slug]/registrations/route';
import { GET as getRegistration } from '@/app/api/public/registrations/[token]/route';
import type { CheckinSnapshot, DoorDeviceDto, ScanAnswer } from '@/lib/checkin/schemas';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import { auditLog, doorDevices, idempotencyKeys, teamMembers } from '@/lib/db/schema';
import { call, createOrganiser, type Organiser } from './support';
import { validEventBody } from '../support/event-body';

afterAll(closeDb);

const data = <T>(res: { json: Record<string, unknown> | null }): T => (res.json as { data: T }).data;
const errorCode = (res: { json: Record<string, unknown> | null }) => (res.json as { error?: { code?: string } } | null)?.error?.code;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

type Created = { device: DoorDeviceDto; token?: string; url?: string };

async function newEvent(organiser: Organiser, guests = 1): Promise<{ id: string; title: string; codes: string[]; references: string[] }> {
  const res = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody({ maxParticipants: 10 }) });
  expect(res.status, res.text).toBe(201);
  const event = data<{ event: { id: string; slug: string; title: string } }>(res).event;
  const codes: string[] = [];
  const references: string[] = [];
  for (let i = 0; i < guests; i += 1) {
    const reg = await call(postRegistration, 'POST', `/api/public/events/${event.slug}/registrations`, {
      key: randomUUID(),
      params: { slug: event.slug },
      body: { name: `Guest ${i + 1}`, email: `door-${randomUUID().slice(0, 8)}@example.com` },
    });
    expect(reg.status, reg.text).toBe(201);
    const token = data<{ manageUrl: string }>(reg).manageUrl.replace(/^\/r\//, '');
    const read = await call(getRegistration, 'GET', `/api/public/registrations/${token}`, { params: { token } });
    const registration = data<{ registration: { code: string | null; reference: string } }>(read).registration;
    if (!registration.code) throw new Error('a confirmed registration has a code');
    codes.push(registration.code);
    references.push(registration.reference);
  }
  return { id: event.id, title: event.title, codes, references };
}

async function newDevice(organiser: Organiser, eventId: string, name = 'Front door', key = randomUUID()) {
  return call(postDevice, 'POST', `/api/events/${eventId}/door-devices`, { cookie: organiser.cookie, key, params: { id: eventId }, body: { name } });
}

async function created(organiser: Organiser, eventId: string, name?: string): Promise<{ device: DoorDeviceDto; token: string; url: string }> {
  const res = await newDevice(organiser, eventId, name);
  expect(res.status, res.text).toBe(201);
  const { device, token, url } = data<Created>(res);
  if (!token || !url) throw new Error('the first answer carries the token and url');
  return { device, token, url };
}

const snapshotBy = (token: string, eventId: string) =>
  call(getSnapshot, 'GET', `/api/events/${eventId}/check-in/snapshot`, { headers: bearer(token), params: { id: eventId } });

const scansBy = (token: string, eventId: string, code: string) =>
  call(postScans, 'POST', `/api/events/${eventId}/check-in/scans`, {
    headers: bearer(token),
    key: randomUUID(),
    params: { id: eventId },
    body: { deviceId: 'phone-door', scans: [{ nonce: randomUUID(), code, scannedAt: new Date().toISOString() }] },
  });

describe('door devices', () => {
  it('shows the token and url once: the stored record and a replay carry neither', async () => {
    const organiser = await createOrganiser();
    const event = await newEvent(organiser, 0);
    const key = randomUUID();
    const first = await newDevice(organiser, event.id, 'Gate A', key);
    expect(first.status, first.text).toBe(201);
    const { device, token, url } = data<Created>(first);
    expect(token).toMatch(/^evd_[A-Za-z0-9_-]{20,}$/);
    expect(url).toBe(`http://localhost:3000/door/${event.id}#device=${token}`);
    expect(device).toMatchObject({ name: 'Gate A', lastSeenAt: null });

    const [row] = await getDb().select().from(doorDevices).where(eq(doorDevices.id, device.id));
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token?.slice(4));
    const [record] = await getDb().select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
    expect(JSON.stringify(record)).not.toContain(token?.slice(4));

    const replay = await newDevice(organiser, event.id, 'Gate A', key);
    expect(replay.status).toBe(201);
    expect(data<Created>(replay)).toEqual({ device });
    const listed = await call(listDevices, 'GET', `/api/events/${event.id}/door-devices`, { cookie: organiser.cookie, params: { id: event.id } });
    expect(listed.status).toBe(200);
    expect(data<{ devices: DoorDeviceDto[] }>(listed).devices).toEqual([device]);
  });

  it('reads its event snapshot and posts scans that record the device; last_seen_at moves', async () => {
    const organiser = await createOrganiser();
    const event = await newEvent(organiser, 2);
    const { device, token } = await created(organiser, event.id);

    const snapshot = await snapshotBy(token, event.id);
    expect(snapshot.status, snapshot.text).toBe(200);
    const body = data<CheckinSnapshot>(snapshot);
    expect(body.tickets).toHaveLength(2);
    expect(body.event.title).toBe(event.title);

    const [seen] = await getDb().select().from(doorDevices).where(eq(doorDevices.id, device.id));
    expect(seen?.lastSeenAt).toBeInstanceOf(Date);

    const code = event.codes[0] ?? '';
    const scanned = await scansBy(token, event.id, code);
    expect(scanned.status, scanned.text).toBe(200);
    expect(data<{ results: ScanAnswer[] }>(scanned).results[0]?.result).toBe('admitted');
    // A typed reference works the same way.
    const typed = await scansBy(token, event.id, event.references[1] ?? '');
    expect(data<{ results: ScanAnswer[] }>(typed).results[0]?.result).toBe('admitted');
    const { rows } = await getPool().query<{ door_device_id: string | null }>('select door_device_id from checkin_scans where event_id = $1', [event.id]);
    expect(rows.map((r) => r.door_device_id)).toEqual([device.id, device.id]);

    // last_seen_at moves on a later contact (at most every 30 s: set it back an hour first).
    const hourAgo = new Date(Date.now() - 3_600_000);
    await getDb().update(doorDevices).set({ lastSeenAt: hourAgo }).where(eq(doorDevices.id, device.id));
    expect((await snapshotBy(token, event.id)).status).toBe(200);
    const listed = await call(listDevices, 'GET', `/api/events/${event.id}/door-devices`, { cookie: organiser.cookie, params: { id: event.id } });
    const lastSeenAt = data<{ devices: DoorDeviceDto[] }>(listed).devices[0]?.lastSeenAt;
    expect(lastSeenAt && Date.parse(lastSeenAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('may do nothing else: another event is 404, the organiser endpoints are 403 FORBIDDEN_FOR_ROLE', async () => {
    const organiser = await createOrganiser();
    const event = await newEvent(organiser, 1);
    const other = await newEvent(organiser, 1);
    const { token } = await created(organiser, event.id);

    expect((await snapshotBy(token, other.id)).status).toBe(404);
    const otherScan = await scansBy(token, other.id, other.codes[0] ?? '');
    expect(otherScan.status).toBe(404);
    const { rows } = await getPool().query('select 1 from checkin_scans where event_id = $1', [other.id]);
    expect(rows).toHaveLength(0);

    const orders = await call(listOrders, 'GET', `/api/events/${event.id}/orders`, { headers: bearer(token), params: { id: event.id } });
    expect([orders.status, errorCode(orders)]).toEqual([403, 'FORBIDDEN_FOR_ROLE']);
    const attendees = await call(listRegistrations, 'GET', `/api/events/${event.id}/registrations`, { headers: bearer(token), params: { id: event.id } });
    expect([attendees.status, errorCode(attendees)]).toEqual([403, 'FORBIDDEN_FOR_ROLE']);
    const events = await call(listEvents, 'GET', '/api/events', { headers: bearer(token) });
    expect([events.status, errorCode(events)]).toEqual([403, 'FORBIDDEN_FOR_ROLE']);
    const one = await call(getEvent, 'GET', `/api/events/${event.id}`, { headers: bearer(token), params: { id: event.id } });
    expect([one.status, errorCode(one)]).toEqual([403, 'FORBIDDEN_FOR_ROLE']);
    const devices = await call(listDevices, 'GET', `/api/events/${event.id}/door-devices`, { headers: bearer(token), params: { id: event.id } });
    expect(devices.status).toBe(403);
    const mint = await call(postDevice, 'POST', `/api/events/${event.id}/door-devices`, { headers: bearer(token), key: randomUUID(), params: { id: event.id }, body: { name: 'Another' } });
    expect(mint.status).toBe(403);
  });

  it('is 401 on its next request once revoked, and drops out of the list', async () => {
    const organiser = await createOrganiser();
    const event = await newEvent(organiser, 1);
    const { device, token } = await created(organiser, event.id);
    const kept = await created(organiser, event.id, 'Side door');
    expect((await snapshotBy(token, event.id)).status).toBe(200);

    const revoked = await call(deleteDevice, 'DELETE', `/api/events/${event.id}/door-devices/${device.id}`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      params: { id: event.id, did: device.id },
    });
    expect(revoked.status, revoked.text).toBe(204);

    const after = await snapshotBy(token, event.id);
    expect(after.status).toBe(401);
    const scan = await scansBy(token, event.id, event.codes[0] ?? '');
    expect(scan.status).toBe(401);
    const { rows } = await getPool().query('select 1 from checkin_scans where event_id = $1', [event.id]);
    expect(rows).toHaveLength(0);
    // The other device is untouched.
    expect((await snapshotBy(kept.token, event.id)).status).toBe(200);

    const again = await call(deleteDevice, 'DELETE', `/api/events/${event.id}/door-devices/${device.id}`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      params: { id: event.id, did: device.id },
    });
    expect(again.status).toBe(404);
    const listed = await call(listDevices, 'GET', `/api/events/${event.id}/door-devices`, { cookie: organiser.cookie, params: { id: event.id } });
    expect(data<{ devices: DoorDeviceDto[] }>(listed).devices.map((d) => d.id)).toEqual([kept.device.id]);
  });

  it("is not another team's to create, list or revoke: 404", async () => {
    const organiser = await createOrganiser();
    const stranger = await createOrganiser();
    const event = await newEvent(organiser, 0);
    const { device } = await created(organiser, event.id);
    const res = await newDevice(stranger, event.id);
    expect(res.status).toBe(404);
    const list = await call(listDevices, 'GET', `/api/events/${event.id}/door-devices`, { cookie: stranger.cookie, params: { id: event.id } });
    expect(list.status).toBe(404);
    const revoke = await call(deleteDevice, 'DELETE', `/api/events/${event.id}/door-devices/${device.id}`, {
      cookie: stranger.cookie,
      key: randomUUID(),
      params: { id: event.id, did: device.id },
    });
    expect(revoke.status).toBe(404);
    const [row] = await getDb().select().from(doorDevices).where(eq(doorDevices.id, device.id));
    expect(row?.revokedAt).toBeNull();
  });

  it('is for owners and managers: a door member scans but may not add, list or revoke devices (403 FORBIDDEN_FOR_ROLE)', async () => {
    const organiser = await createOrganiser();
    const event = await newEvent(organiser, 1);
    const { device } = await created(organiser, event.id);
    const doorPerson = await createOrganiser('Door Person');
    const manager = await createOrganiser('Manager');
    // The organiser's personal team has the organiser's id (lib/teams).
    await getDb().insert(teamMembers).values([
      { teamId: organiser.id, userId: doorPerson.id, role: 'door' },
      { teamId: organiser.id, userId: manager.id, role: 'manager' },
    ]);

    const add = await newDevice(doorPerson, event.id);
    expect([add.status, errorCode(add)]).toEqual([403, 'FORBIDDEN_FOR_ROLE']);
    const list = await call(listDevices, 'GET', `/api/events/${event.id}/door-devices`, { cookie: doorPerson.cookie, params: { id: event.id } });
    expect([list.status, errorCode(list)]).toEqual([403, 'FORBIDDEN_FOR_ROLE']);
    const revoke = await call(deleteDevice, 'DELETE', `/api/events/${event.id}/door-devices/${device.id}`, {
      cookie: doorPerson.cookie,
      key: randomUUID(),
      params: { id: event.id, did: device.id },
    });
    expect([revoke.status, errorCode(revoke)]).toEqual([403, 'FORBIDDEN_FOR_ROLE']);
    const snapshot = await call(getSnapshot, 'GET', `/api/events/${event.id}/check-in/snapshot`, { cookie: doorPerson.cookie, params: { id: event.id } });
    expect(snapshot.status).toBe(200);

    // A manager may, and the audit names the manager.
    const byManager = await newDevice(manager, event.id, 'Manager phone');
    expect(byManager.status, byManager.text).toBe(201);
    const made = data<Created>(byManager).device;
    const [entry] = await getDb().select().from(auditLog).where(and(eq(auditLog.targetType, 'door_device'), eq(auditLog.targetId, made.id)));
    expect([entry?.actorId, entry?.teamId]).toEqual([manager.id, organiser.id]);
  });

  it('writes an audit entry for its creation and its revocation, by the organiser', async () => {
    const organiser = await createOrganiser('Door Boss');
    const event = await newEvent(organiser, 0);
    const { device } = await created(organiser, event.id, 'Gate B');
    const revoked = await call(deleteDevice, 'DELETE', `/api/events/${event.id}/door-devices/${device.id}`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      params: { id: event.id, did: device.id },
    });
    expect(revoked.status).toBe(204);
    const entries = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetType, 'door_device'), eq(auditLog.targetId, device.id)))
      .orderBy(auditLog.id);
    expect(entries.map((e) => [e.action, e.actorType, e.actorId, e.teamId])).toEqual([
      ['device.created', 'user', organiser.id, organiser.id],
      ['device.revoked', 'user', organiser.id, organiser.id],
    ]);
    expect(entries[0]?.details).toMatchObject({ name: 'Gate B', eventId: event.id });
  });
});
