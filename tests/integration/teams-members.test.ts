// Teams' members and invitations (docs/api.md, "Teams, roles and door
// devices") through the real route handlers on a real database: an
// invitation's mail in the invitee's language, its link good once, for 7 days,
// for its address only; ALREADY_MEMBER; the last owner kept through demotion,
// leaving and two owners demoting each other at once; a personal team's
// founder kept; a removed member refused by their next request on two
// instances (two copies of the app's modules), with their keys and devices revoked.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { GET as listEvents, POST as postEvent } from '@/app/api/events/route';
import { POST as postKey } from '@/app/api/api-keys/route';
import { POST as acceptRoute } from '@/app/api/invitations/[token]/accept/route';
import { POST as inviteRoute } from '@/app/api/teams/[tid]/invitations/route';
import { DELETE as revokeInvitationRoute } from '@/app/api/teams/[tid]/invitations/[iid]/route';
import { GET as membersRoute } from '@/app/api/teams/[tid]/members/route';
import { DELETE as removeRoute, PATCH as roleRoute } from '@/app/api/teams/[tid]/members/[uid]/route';
import { DELETE as leaveRoute } from '@/app/api/teams/[tid]/membership/route';
import { POST as postTeam } from '@/app/api/teams/route';
import { createDoorDevice } from '@/lib/checkin/devices';
import { closeDb, getDb } from '@/lib/db/pool';
import { apiKeys, auditLog, doorDevices, outboxMessages, teamInvitations, teamMembers } from '@/lib/db/schema';
import { renderInvitationMail } from '@/lib/mail/render';
import { invitationPayloadSchema } from '@/lib/outbox/payload';
import type { MembersDto, TeamDto } from '@/lib/teams/schemas';
import { changeRole as changeRoleOf, inviteMember, removeMember as removeMemberOf } from '@/lib/teams/members';
import { hashToken } from '@/lib/tokens';
import { validEventBody } from '../support/event-body';
import { call, createOrganiser, type Organiser } from './support';

afterAll(closeDb);

type Handler = Parameters<typeof call>[0];
const dataOf = <T>(res: { json: Record<string, unknown> | null }): T => (res.json as { data: T }).data;
const codeOf = (res: { json: Record<string, unknown> | null }): string | undefined => (res.json as { error?: { code: string } } | null)?.error?.code;

async function newTeam(owner: Organiser, name = 'Riverside Jazz'): Promise<TeamDto> {
  const res = await call(postTeam, 'POST', '/api/teams', { cookie: owner.cookie, key: randomUUID(), body: { name } });
  expect(res.status, res.text).toBe(201);
  return dataOf<{ team: TeamDto }>(res).team;
}

function invite(by: Organiser, teamId: string, body: { email: string; role: string; locale?: string }, headers: Record<string, string> = {}) {
  return call(inviteRoute, 'POST', `/api/teams/${teamId}/invitations`, { cookie: by.cookie, key: randomUUID(), body, params: { tid: teamId }, headers });
}

/** The link's token, as the invitee reads it in the mail the outbox holds (the newest to that address). */
async function tokenFor(email: string): Promise<string> {
  const rows = await getDb()
    .select({ payload: outboxMessages.payload })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.kind, 'team_invitation'), eq(outboxMessages.recipient, email.toLowerCase())))
    .orderBy(sql`${outboxMessages.createdAt} desc`)
    .limit(1);
  const payload = invitationPayloadSchema.parse(rows[0]?.payload);
  return payload.inviteUrl.replace(/^\/invite\//, '');
}

function accept(user: Organiser, token: string) {
  return call(acceptRoute, 'POST', `/api/invitations/${token}/accept`, { cookie: user.cookie, key: randomUUID(), params: { token } });
}

async function join(owner: Organiser, teamId: string, role: string, name = 'Member'): Promise<Organiser> {
  const member = await createOrganiser(name);
  const sent = await invite(owner, teamId, { email: member.email, role });
  expect(sent.status, sent.text).toBe(201);
  const accepted = await accept(member, await tokenFor(member.email));
  expect(accepted.status, accepted.text).toBe(200);
  return member;
}

function members(user: Organiser, teamId: string, handler: Handler = membersRoute) {
  return call(handler, 'GET', `/api/teams/${teamId}/members`, { cookie: user.cookie, params: { tid: teamId } });
}

function changeRole(by: Organiser, teamId: string, uid: string, role: string) {
  return call(roleRoute, 'PATCH', `/api/teams/${teamId}/members/${uid}`, { cookie: by.cookie, key: randomUUID(), body: { role }, params: { tid: teamId, uid } });
}

function remove(by: Organiser, teamId: string, uid: string) {
  return call(removeRoute, 'DELETE', `/api/teams/${teamId}/members/${uid}`, { cookie: by.cookie, key: randomUUID(), params: { tid: teamId, uid } });
}

function leave(user: Organiser, teamId: string) {
  return call(leaveRoute, 'DELETE', `/api/teams/${teamId}/membership`, { cookie: user.cookie, key: randomUUID(), params: { tid: teamId } });
}

async function auditActions(teamId: string): Promise<string[]> {
  const rows = await getDb().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.teamId, teamId)).orderBy(auditLog.id);
  return rows.map((r) => r.action);
}

async function ownersOf(teamId: string): Promise<number> {
  const rows = await getDb()
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.role, 'owner')));
  return rows.length;
}

describe('invitations', () => {
  it('mails the link in the language asked for, stores only its hash, and the invited address joins once (any letter case)', async () => {
    const owner = await createOrganiser('Olga Owner');
    const team = await newTeam(owner);
    const invitee = await createOrganiser('Fedor Finance');
    const sent = await invite(owner, team.id, { email: invitee.email.toUpperCase(), role: 'finance', locale: 'ru' });
    expect(sent.status, sent.text).toBe(201);
    const { invitation } = dataOf<{ invitation: { id: string; email: string; role: string; expiresAt: string } }>(sent);
    expect(invitation).toMatchObject({ email: invitee.email, role: 'finance' });
    const days = (Date.parse(invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);

    // The mail: to the lower-cased address, in Russian, with the link; the row keeps only the token's hash.
    const [mail] = await getDb().select().from(outboxMessages).where(and(eq(outboxMessages.kind, 'team_invitation'), eq(outboxMessages.recipient, invitee.email)));
    expect(mail?.locale).toBe('ru');
    const token = await tokenFor(invitee.email);
    expect(sent.text).not.toContain(token);
    const [stored] = await getDb().select().from(teamInvitations).where(eq(teamInvitations.id, invitation.id));
    expect(stored?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    const rendered = renderInvitationMail('ru', invitationPayloadSchema.parse(mail?.payload), 'https://events.example.com');
    expect(rendered.subject).toContain('Приглашение в команду Riverside Jazz');
    expect(rendered.text).toContain(`https://events.example.com/invite/${token}`);
    expect(rendered.text).toContain('Финансы');

    // Pending until accepted; then a member, and the link is spent.
    const before = dataOf<MembersDto>(await members(owner, team.id));
    expect(before.invitations.map((i) => i.id)).toEqual([invitation.id]);
    const accepted = await accept(invitee, token);
    expect(accepted.status, accepted.text).toBe(200);
    expect(dataOf<{ team: TeamDto; role: string }>(accepted)).toMatchObject({ team: { id: team.id, name: 'Riverside Jazz', role: 'finance' }, role: 'finance' });
    const after = dataOf<MembersDto>(await members(invitee, team.id));
    expect(after.invitations).toEqual([]);
    expect(after.members.map((m) => [m.email, m.role])).toEqual([
      [owner.email, 'owner'],
      [invitee.email, 'finance'],
    ]);

    const again = await accept(invitee, token);
    expect(again.status).toBe(404);
    expect(codeOf(again)).toBe('NOT_FOUND');
    expect(await auditActions(team.id)).toEqual(['invitation.created', 'invitation.accepted']);
  });

  it("writes the mail in the inviter's request language when none is asked for", async () => {
    const owner = await createOrganiser();
    const team = await newTeam(owner);
    const email = `ru-${randomUUID().slice(0, 8)}@example.com`;
    const sent = await invite(owner, team.id, { email, role: 'door' }, { 'accept-language': 'ru-RU,ru;q=0.9' });
    expect(sent.status, sent.text).toBe(201);
    const [mail] = await getDb().select({ locale: outboxMessages.locale }).from(outboxMessages).where(eq(outboxMessages.recipient, email));
    expect(mail?.locale).toBe('ru');
  });

  it('refuses an expired link (404), and one for another address (403) until its own address accepts it', async () => {
    const owner = await createOrganiser();
    const team = await newTeam(owner);
    const invitee = await createOrganiser();
    const stranger = await createOrganiser();
    expect((await invite(owner, team.id, { email: invitee.email, role: 'manager' })).status).toBe(201);
    const token = await tokenFor(invitee.email);

    const wrong = await accept(stranger, token);
    expect(wrong.status).toBe(403);
    expect(codeOf(wrong)).toBe('INVITATION_FOR_OTHER_EMAIL');
    expect((await members(stranger, team.id)).status).toBe(404);

    await getDb().update(teamInvitations).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(teamInvitations.tokenHash, hashToken(token)));
    const expired = await accept(invitee, token);
    expect(expired.status).toBe(404);
    expect(codeOf(expired)).toBe('NOT_FOUND');
    expect(dataOf<MembersDto>(await members(owner, team.id)).invitations).toEqual([]);

    // A new invitation replaces nothing live; it works, once.
    expect((await invite(owner, team.id, { email: invitee.email, role: 'manager' })).status).toBe(201);
    const fresh = await tokenFor(invitee.email);
    expect(fresh).not.toBe(token);
    expect((await accept(invitee, fresh)).status).toBe(200);
    const unknown = await accept(invitee, 'A'.repeat(43));
    expect(unknown.status).toBe(404);
  });

  it('answers 409 ALREADY_MEMBER for an address in the team, and a second invitation to one address voids the first link', async () => {
    const owner = await createOrganiser();
    const team = await newTeam(owner);
    const member = await join(owner, team.id, 'manager');
    const twice = await invite(owner, team.id, { email: member.email.toUpperCase(), role: 'door' });
    expect(twice.status).toBe(409);
    expect(codeOf(twice)).toBe('ALREADY_MEMBER');
    const self = await invite(owner, team.id, { email: owner.email, role: 'owner' });
    expect(codeOf(self)).toBe('ALREADY_MEMBER');

    const invitee = await createOrganiser();
    expect((await invite(owner, team.id, { email: invitee.email, role: 'door' })).status).toBe(201);
    const first = await tokenFor(invitee.email);
    expect((await invite(owner, team.id, { email: invitee.email, role: 'finance' })).status).toBe(201);
    const second = await tokenFor(invitee.email);
    expect((await accept(invitee, first)).status).toBe(404);
    const accepted = await accept(invitee, second);
    expect(dataOf<{ role: string }>(accepted).role).toBe('finance');
  });

  it('lets only an owner invite or revoke (403 FORBIDDEN_FOR_ROLE), a stranger not even see the team (404); a revoked link is 404', async () => {
    const owner = await createOrganiser();
    const team = await newTeam(owner);
    const manager = await join(owner, team.id, 'manager');
    const stranger = await createOrganiser();
    const byManager = await invite(manager, team.id, { email: 'someone@example.com', role: 'door' });
    expect(byManager.status).toBe(403);
    expect(codeOf(byManager)).toBe('FORBIDDEN_FOR_ROLE');
    expect((await invite(stranger, team.id, { email: 'someone@example.com', role: 'door' })).status).toBe(404);

    const invitee = await createOrganiser();
    const sent = await invite(owner, team.id, { email: invitee.email, role: 'door' });
    const { invitation } = dataOf<{ invitation: { id: string } }>(sent);
    const revokeAs = (who: Organiser) =>
      call(revokeInvitationRoute, 'DELETE', `/api/teams/${team.id}/invitations/${invitation.id}`, { cookie: who.cookie, key: randomUUID(), params: { tid: team.id, iid: invitation.id } });
    expect((await revokeAs(manager)).status).toBe(403);
    expect((await revokeAs(owner)).status).toBe(204);
    expect((await revokeAs(owner)).status).toBe(404);
    expect((await accept(invitee, await tokenFor(invitee.email))).status).toBe(404);
    expect(await auditActions(team.id)).toContain('invitation.revoked');
  });
});

describe('roles and the last owner', () => {
  it('changes a role (the next request is judged by it), and never demotes or removes the last owner', async () => {
    const owner = await createOrganiser();
    const team = await newTeam(owner);
    const manager = await join(owner, team.id, 'manager');
    const inTeam = { 'x-team-id': team.id };
    const created = await call(postEvent, 'POST', '/api/events', { cookie: manager.cookie, key: randomUUID(), body: validEventBody(), headers: inTeam });
    expect(created.status, created.text).toBe(201);

    const changed = await changeRole(owner, team.id, manager.id, 'door');
    expect(changed.status, changed.text).toBe(200);
    expect(dataOf<{ member: { userId: string; role: string } }>(changed).member).toMatchObject({ userId: manager.id, role: 'door' });
    const refused = await call(postEvent, 'POST', '/api/events', { cookie: manager.cookie, key: randomUUID(), body: validEventBody(), headers: inTeam });
    expect(refused.status).toBe(403);
    expect(codeOf(refused)).toBe('FORBIDDEN_FOR_ROLE');

    const demoteSelf = await changeRole(owner, team.id, owner.id, 'manager');
    expect(demoteSelf.status).toBe(409);
    expect(codeOf(demoteSelf)).toBe('LAST_OWNER');
    const removeSelf = await remove(owner, team.id, owner.id);
    expect(codeOf(removeSelf)).toBe('LAST_OWNER');
    const left = await leave(owner, team.id);
    expect(left.status).toBe(409);
    expect(codeOf(left)).toBe('LAST_OWNER');
    expect((await changeRole(owner, team.id, randomUUID(), 'door')).status).toBe(404);

    // With a second owner, the first may step down.
    expect((await changeRole(owner, team.id, manager.id, 'owner')).status).toBe(200);
    expect((await changeRole(owner, team.id, owner.id, 'finance')).status).toBe(200);
    expect(await ownersOf(team.id)).toBe(1);
    const actions = await auditActions(team.id);
    expect(actions.filter((a) => a === 'member.role_changed')).toHaveLength(3);
  });

  it('two owners demoting each other at the same moment leave exactly one owner', async () => {
    for (let round = 0; round < 4; round += 1) {
      const a = await createOrganiser('Owner A');
      const team = await newTeam(a);
      const b = await join(a, team.id, 'owner');
      const results = await Promise.all([changeRole(a, team.id, b.id, 'manager'), changeRole(b, team.id, a.id, 'manager')]);
      const statuses = results.map((r) => r.status).sort();
      // One wins; the other is either refused as the last owner, or (demoted before its own request was judged) as a manager.
      expect(statuses[0], results.map((r) => r.text).join('\n')).toBe(200);
      expect([403, 409]).toContain(statuses[1]);
      expect(await ownersOf(team.id)).toBe(1);
    }
  });

  it('judges the acting owner again under the team lock: an owner demoted after their request was judged, before it took the lock, changes nothing (403)', async () => {
    const a = await createOrganiser('Owner A');
    const team = await newTeam(a);
    const b = await join(a, team.id, 'owner', 'Owner B');
    const c = await join(a, team.id, 'owner', 'Owner C');
    const asB = { type: 'user' as const, id: b.id, name: 'Owner B' };
    // B's two requests were judged while B was an owner; A's demotion of B then committed first.
    expect((await changeRole(a, team.id, b.id, 'manager')).status).toBe(200);
    await expect(getDb().transaction((tx) => changeRoleOf(tx, { teamId: team.id, userId: c.id, role: 'door', actor: asB }))).rejects.toMatchObject({ code: 'FORBIDDEN_FOR_ROLE' });
    await expect(getDb().transaction((tx) => removeMemberOf(tx, { teamId: team.id, userId: c.id, actor: asB }))).rejects.toMatchObject({ code: 'FORBIDDEN_FOR_ROLE' });
    await expect(
      getDb().transaction((tx) => inviteMember(tx, { teamId: team.id, email: 'late@example.com', role: 'owner', locale: 'en', invitedBy: b.id, actor: asB })),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_FOR_ROLE' });
    expect(await ownersOf(team.id)).toBe(2);
    // Leaving is still theirs to do.
    expect((await leave(b, team.id)).status).toBe(204);
  });

  it('an invitation re-sent while its invitee accepts the first one: never a 500, and the invitee is in the team once', async () => {
    for (let round = 0; round < 6; round += 1) {
      const owner = await createOrganiser('Owner');
      const team = await newTeam(owner);
      const invitee = await createOrganiser('Invitee');
      expect((await invite(owner, team.id, { email: invitee.email, role: 'door' })).status).toBe(201);
      const token = await tokenFor(invitee.email);
      const [resent, accepted] = await Promise.all([invite(owner, team.id, { email: invitee.email, role: 'manager' }), accept(invitee, token)]);
      // Either order is fine: re-sent first (the old link is dead: 404), or accepted first (ALREADY_MEMBER).
      expect(
        [
          [201, 404],
          [409, 200],
        ],
        `${resent.text}\n${accepted.text}`,
      ).toContainEqual([resent.status, accepted.status]);
      const rows = await getDb().select().from(teamMembers).where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, invitee.id)));
      expect(rows).toHaveLength(accepted.status === 200 ? 1 : 0);
    }
  });

  it("keeps a personal team's founder: another owner can neither remove nor demote them (409 PERSONAL_TEAM_OWNER)", async () => {
    const founder = await createOrganiser('Founder');
    const partner = await join(founder, founder.id, 'owner', 'Partner');
    const removed = await remove(partner, founder.id, founder.id);
    expect(removed.status).toBe(409);
    expect(codeOf(removed)).toBe('PERSONAL_TEAM_OWNER');
    expect(codeOf(await changeRole(partner, founder.id, founder.id, 'door'))).toBe('PERSONAL_TEAM_OWNER');
    expect(codeOf(await leave(founder, founder.id))).toBe('PERSONAL_TEAM_OWNER');
    // The partner may leave.
    expect((await leave(partner, founder.id)).status).toBe(204);
  });
});

describe('removal', () => {
  it("is seen by the removed member's next request on both instances, and revokes the keys and door devices they created there", async () => {
    const owner = await createOrganiser();
    const team = await newTeam(owner);
    const manager = await join(owner, team.id, 'manager', 'Mona Manager');
    const inTeam = { 'x-team-id': team.id };
    const created = await call(postEvent, 'POST', '/api/events', { cookie: manager.cookie, key: randomUUID(), body: validEventBody(), headers: inTeam });
    const eventId = dataOf<{ event: { id: string } }>(created).event.id;
    const keyRes = await call(postKey, 'POST', '/api/api-keys', { cookie: manager.cookie, key: randomUUID(), body: { name: 'Mona sync' }, headers: inTeam });
    expect(keyRes.status, keyRes.text).toBe(201);
    const { apiKey, secret } = dataOf<{ apiKey: { id: string }; secret: string }>(keyRes);
    const device = await getDb().transaction((tx) =>
      createDoorDevice(tx, { teamId: team.id, eventId, name: 'Gate 1', createdBy: manager.id, actor: { type: 'user', id: manager.id, name: 'Mona Manager' } }),
    );
    const ownerKey = await call(postKey, 'POST', '/api/api-keys', { cookie: owner.cookie, key: randomUUID(), body: { name: 'Owner sync' }, headers: inTeam });
    const ownerSecret = dataOf<{ secret: string }>(ownerKey).secret;

    // A second instance: the same routes from a second copy of every module (no state shared but the database).
    vi.resetModules();
    const other = await import('@/app/api/teams/[tid]/members/route');
    expect(other.GET).not.toBe(membersRoute);
    expect((await members(manager, team.id, membersRoute)).status).toBe(200);
    expect((await members(manager, team.id, other.GET)).status).toBe(200);

    const removed = await remove(owner, team.id, manager.id);
    expect(removed.status, removed.text).toBe(204);

    for (const handler of [membersRoute, other.GET]) {
      const next = await members(manager, team.id, handler);
      expect(next.status).toBe(404);
      expect(codeOf(next)).toBe('NOT_FOUND');
    }
    const listed = await call(listEvents, 'GET', '/api/events', { cookie: manager.cookie, headers: inTeam });
    expect(listed.status).toBe(404);
    const byKey = await call(listEvents, 'GET', '/api/events', { headers: { authorization: `Bearer ${secret}` } });
    expect(byKey.status).toBe(401);
    const [keyRow] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(keyRow?.revokedAt).not.toBeNull();
    const [deviceRow] = await getDb().select().from(doorDevices).where(eq(doorDevices.id, device.device.id));
    expect(deviceRow?.revokedAt).not.toBeNull();
    // The owner's own key still works.
    expect((await call(listEvents, 'GET', '/api/events', { headers: { authorization: `Bearer ${ownerSecret}` } })).status).toBe(200);

    const [entry] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.teamId, team.id), eq(auditLog.action, 'member.removed')));
    expect(entry).toMatchObject({ actorType: 'user', actorId: owner.id, targetType: 'user', targetId: manager.id });
    expect(entry?.details).toMatchObject({ role: 'manager', left: false, revokedApiKeys: 1, revokedDevices: 1 });
    expect(await auditActions(team.id)).toEqual(expect.arrayContaining(['api_key.revoked', 'device.revoked', 'member.removed']));
    // Removing them again: they are not there.
    expect((await remove(owner, team.id, manager.id)).status).toBe(404);
  });

  it('lets any member leave on their own; only an owner removes someone else', async () => {
    const owner = await createOrganiser();
    const team = await newTeam(owner);
    const finance = await join(owner, team.id, 'finance');
    const door = await join(owner, team.id, 'door');
    const byFinance = await remove(finance, team.id, door.id);
    expect(byFinance.status).toBe(403);
    expect(codeOf(byFinance)).toBe('FORBIDDEN_FOR_ROLE');
    expect((await leave(door, team.id)).status).toBe(204);
    expect((await members(door, team.id)).status).toBe(404);
    const list = dataOf<MembersDto>(await members(finance, team.id));
    expect(list.members.map((m) => m.userId)).toEqual([owner.id, finance.id]);
    const [entry] = await getDb()
      .select({ details: auditLog.details, actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.teamId, team.id), eq(auditLog.action, 'member.removed')));
    expect(entry).toMatchObject({ actorId: door.id, details: { left: true, role: 'door' } });
  });
});
