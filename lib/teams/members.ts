// A team's members and invitations (docs/api.md, "Teams, roles and door
// devices"). Who may call each function is the route builder's business
// (lib/teams/permissions.ts); these keep the team's own rules:
// - a team always keeps an owner: the last owner can be neither demoted nor
//   removed (409 LAST_OWNER). Every change of membership first locks the
//   team's row, so two concurrent changes (two owners demoting each other)
//   are taken one after the other and the second sees the first: never zero
//   owners (the deferred trigger teams_keep_an_owner is the database's own net);
// - a personal team's founder stays its owner (409 PERSONAL_TEAM_OWNER);
// - removing a member (or leaving) revokes the API keys and door devices they
//   created in that team, in the same transaction;
// - an invitation's token is shown only in its mail (`/invite/<token>`) and
//   stored as its SHA-256; it is good once, for 7 days, and only for the
//   address it was sent to (compared case-insensitively).
// Each change writes its audit entry in its own transaction.
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { authUsers } from 'drizzle-orm/supabase';
import { recordAudit, type Actor } from '@/lib/audit';
import type { Queryable, Tx } from '@/lib/db/pool';
import { apiKeys, doorDevices, profiles, teamInvitations, teamMembers, teams } from '@/lib/db/schema';
import type { TeamRole } from '@/lib/enums';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { enqueueInvitation } from '@/lib/outbox/enqueue';
import { hashToken, newToken, TOKEN_PATTERN } from '@/lib/tokens';
import { can, grantableScopes } from './permissions';
import type { InvitationDto, InvitationPreview, MemberDto, MembersDto, TeamDto } from './schemas';

/** How long an invitation's link works. */
export const INVITATION_DAYS = 7;

const ROLE_RANK: Record<TeamRole, number> = { owner: 0, manager: 1, finance: 2, door: 3 };

/** The team's members (owners first, then by when they joined) and its pending invitations (newest first). */
export async function listMembers(db: Queryable, teamId: string): Promise<MembersDto> {
  const [rows, pending] = await Promise.all([
    db
      .select({ userId: teamMembers.userId, role: teamMembers.role, joinedAt: teamMembers.joinedAt, email: authUsers.email, name: profiles.name })
      .from(teamMembers)
      .innerJoin(authUsers, eq(authUsers.id, teamMembers.userId))
      .leftJoin(profiles, eq(profiles.userId, teamMembers.userId))
      .where(eq(teamMembers.teamId, teamId))
      .orderBy(asc(teamMembers.joinedAt), asc(teamMembers.userId)),
    db
      .select({ id: teamInvitations.id, email: teamInvitations.email, role: teamInvitations.role, expiresAt: teamInvitations.expiresAt })
      .from(teamInvitations)
      .where(and(eq(teamInvitations.teamId, teamId), isNull(teamInvitations.acceptedAt), isNull(teamInvitations.revokedAt), gt(teamInvitations.expiresAt, sql`now()`)))
      .orderBy(sql`${teamInvitations.createdAt} desc`, asc(teamInvitations.id)),
  ]);
  const members: MemberDto[] = rows
    .map((row) => ({ userId: row.userId, name: row.name?.trim() || null, email: row.email ?? '', role: row.role, joinedAt: row.joinedAt.toISOString() }))
    .sort((a, b) => ROLE_RANK[a.role] - ROLE_RANK[b.role]);
  const invitations: InvitationDto[] = pending.map((row) => ({ id: row.id, email: row.email, role: row.role, expiresAt: row.expiresAt.toISOString() }));
  return { members, invitations };
}

/** The team's row, locked until the transaction ends: membership changes of one team run one at a time. */
async function lockTeam(tx: Tx, teamId: string): Promise<{ id: string; name: string; personalOwnerId: string | null }> {
  const [team] = await tx
    .select({ id: teams.id, name: teams.name, personalOwnerId: teams.personalOwnerId })
    .from(teams)
    .where(eq(teams.id, teamId))
    .for('update');
  if (!team) throw new AppError('NOT_FOUND');
  return team;
}

async function memberRow(tx: Tx, teamId: string, userId: string): Promise<{ role: TeamRole; joinedAt: Date } | null> {
  if (!isUuid(userId)) return null;
  const [row] = await tx
    .select({ role: teamMembers.role, joinedAt: teamMembers.joinedAt })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
  return row ?? null;
}

async function ownerCount(tx: Tx, teamId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.role, 'owner')));
  return row?.n ?? 0;
}

/**
 * The acting owner is judged again under the team's lock: the route judged
 * them before it, and an owner demoted or removed meanwhile (two owners
 * changing each other at once) may no longer change the team.
 */
async function stillManages(tx: Tx, teamId: string, actor: Actor): Promise<void> {
  if (actor.type !== 'user') throw new AppError('FORBIDDEN_FOR_API_KEY');
  const row = await memberRow(tx, teamId, actor.id);
  if (!row) throw new AppError('NOT_FOUND');
  if (!can(row.role, 'members:manage')) throw new AppError('FORBIDDEN_FOR_ROLE', { details: { role: row.role } });
}

/** Invites an address as `role`: a pending invitation to the same address is replaced (its link stops working). */
export async function inviteMember(
  tx: Tx,
  input: { teamId: string; email: string; role: TeamRole; locale: 'en' | 'ru'; invitedBy: string | null; actor: Actor },
): Promise<InvitationDto> {
  const team = await lockTeam(tx, input.teamId);
  await stillManages(tx, team.id, input.actor);
  const [member] = await tx
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .innerJoin(authUsers, eq(authUsers.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, team.id), sql`lower(${authUsers.email}) = ${input.email}`))
    .limit(1);
  if (member) throw new AppError('ALREADY_MEMBER');
  await tx
    .update(teamInvitations)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(teamInvitations.teamId, team.id), eq(teamInvitations.email, input.email), isNull(teamInvitations.acceptedAt), isNull(teamInvitations.revokedAt)));
  const token = newToken();
  const [row] = await tx
    .insert(teamInvitations)
    .values({
      teamId: team.id,
      email: input.email,
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy: input.invitedBy,
      expiresAt: sql`now() + make_interval(days => ${INVITATION_DAYS})`,
    })
    .returning();
  if (!row) throw new Error('insert into team_invitations returned no row');
  const invitation: InvitationDto = { id: row.id, email: row.email, role: row.role, expiresAt: row.expiresAt.toISOString() };
  await enqueueInvitation(tx, {
    email: row.email,
    locale: input.locale,
    payload: { team: team.name, role: row.role, inviter: input.actor.name, inviteUrl: `/invite/${token}`, expiresAt: invitation.expiresAt },
  });
  await recordAudit(tx, { teamId: team.id, actor: input.actor, action: 'invitation.created', target: { type: 'invitation', id: row.id }, details: { email: row.email, role: row.role } });
  return invitation;
}

/** Revokes a pending invitation of the team; an unknown, used, revoked or expired one is NOT_FOUND. */
export async function revokeInvitation(tx: Tx, input: { teamId: string; invitationId: string; actor: Actor }): Promise<void> {
  if (!isUuid(input.invitationId)) throw new AppError('NOT_FOUND');
  const [row] = await tx
    .update(teamInvitations)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(teamInvitations.id, input.invitationId),
        eq(teamInvitations.teamId, input.teamId),
        isNull(teamInvitations.acceptedAt),
        isNull(teamInvitations.revokedAt),
        gt(teamInvitations.expiresAt, sql`now()`),
      ),
    )
    .returning({ id: teamInvitations.id, email: teamInvitations.email, role: teamInvitations.role });
  if (!row) throw new AppError('NOT_FOUND');
  await recordAudit(tx, { teamId: input.teamId, actor: input.actor, action: 'invitation.revoked', target: { type: 'invitation', id: row.id }, details: { email: row.email, role: row.role } });
}

/** A live invitation (not used, revoked or expired) by its link's token, for the `/invite/<token>` page; null otherwise. */
export async function invitationPreview(db: Queryable, token: string): Promise<InvitationPreview | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const [row] = await db
    .select({ teamId: teams.id, teamName: teams.name, role: teamInvitations.role, email: teamInvitations.email, expiresAt: teamInvitations.expiresAt })
    .from(teamInvitations)
    .innerJoin(teams, eq(teams.id, teamInvitations.teamId))
    .where(
      and(
        eq(teamInvitations.tokenHash, hashToken(token)),
        isNull(teamInvitations.acceptedAt),
        isNull(teamInvitations.revokedAt),
        gt(teamInvitations.expiresAt, sql`now()`),
      ),
    )
    .limit(1);
  return row ? { ...row, expiresAt: row.expiresAt.toISOString() } : null;
}

/**
 * Accepts an invitation as the signed-in user: 404 for an unknown, used,
 * revoked or expired token; 403 INVITATION_FOR_OTHER_EMAIL when the user's
 * address is not the invited one; 409 ALREADY_MEMBER when they are in the
 * team already (the invitation stays pending).
 */
export async function acceptInvitation(tx: Tx, input: { token: string; user: { id: string; email: string }; actor: Actor }): Promise<{ team: TeamDto; role: TeamRole }> {
  if (!TOKEN_PATTERN.test(input.token)) throw new AppError('NOT_FOUND');
  // The team's row first, then the invitation's: the order inviting takes (team, then
  // the address's pending invitations), so a re-sent invitation and its accept never deadlock.
  const [target] = await tx.select({ teamId: teamInvitations.teamId }).from(teamInvitations).where(eq(teamInvitations.tokenHash, hashToken(input.token)));
  if (!target) throw new AppError('NOT_FOUND');
  const team = await lockTeam(tx, target.teamId);
  // Expiry by the database's clock, as everywhere it is stored (docs/ssot, "Time Standard").
  const [found] = await tx
    .select({ invitation: teamInvitations, live: sql<boolean>`${teamInvitations.expiresAt} > now()` })
    .from(teamInvitations)
    .where(eq(teamInvitations.tokenHash, hashToken(input.token)))
    .for('update');
  const invitation = found?.invitation;
  if (!invitation || !found.live || invitation.acceptedAt || invitation.revokedAt) throw new AppError('NOT_FOUND');
  if (invitation.email !== input.user.email.trim().toLowerCase()) throw new AppError('INVITATION_FOR_OTHER_EMAIL');
  const added = await tx
    .insert(teamMembers)
    .values({ teamId: team.id, userId: input.user.id, role: invitation.role })
    .onConflictDoNothing()
    .returning({ userId: teamMembers.userId });
  if (added.length === 0) throw new AppError('ALREADY_MEMBER');
  await tx.update(teamInvitations).set({ acceptedAt: sql`now()`, acceptedBy: input.user.id }).where(eq(teamInvitations.id, invitation.id));
  await recordAudit(tx, {
    teamId: team.id,
    actor: input.actor,
    action: 'invitation.accepted',
    target: { type: 'invitation', id: invitation.id },
    details: { email: invitation.email, role: invitation.role, userId: input.user.id },
  });
  return { team: { id: team.id, name: team.name, role: invitation.role, personal: team.personalOwnerId === input.user.id }, role: invitation.role };
}

/** Gives a member another role; the last owner cannot be demoted, nor a personal team's founder. */
export async function changeRole(tx: Tx, input: { teamId: string; userId: string; role: TeamRole; actor: Actor }): Promise<MemberDto> {
  const team = await lockTeam(tx, input.teamId);
  await stillManages(tx, team.id, input.actor);
  const current = await memberRow(tx, team.id, input.userId);
  if (!current) throw new AppError('NOT_FOUND');
  if (current.role !== input.role) {
    if (team.personalOwnerId === input.userId) throw new AppError('PERSONAL_TEAM_OWNER');
    if (current.role === 'owner' && (await ownerCount(tx, team.id)) <= 1) throw new AppError('LAST_OWNER');
    await tx.update(teamMembers).set({ role: input.role }).where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, input.userId)));
    // A lowered role keeps nothing it may no longer make: keys beyond its scopes, devices it may not manage.
    const { keys, devices } = await revokeWhatTheyMade(tx, { teamId: team.id, userId: input.userId, actor: input.actor, reason: 'role_changed', role: input.role });
    await recordAudit(tx, {
      teamId: team.id,
      actor: input.actor,
      action: 'member.role_changed',
      target: { type: 'user', id: input.userId },
      details: { from: current.role, to: input.role, revokedApiKeys: keys.length, revokedDevices: devices.length },
    });
  }
  const { members } = await listMembers(tx, team.id);
  const member = members.find((m) => m.userId === input.userId);
  if (!member) throw new Error(`member ${input.userId} vanished from team ${team.id} under its lock`);
  return member;
}

/**
 * Revokes the API keys and door devices a member made in the team that their
 * role (`null`: none, they left) may no longer make: keys with a scope beyond
 * `grantableScopes(role)`, devices unless the role has `devices:manage`. Each
 * one audited, with why.
 */
async function revokeWhatTheyMade(
  tx: Tx,
  input: { teamId: string; userId: string; actor: Actor; reason: 'member_removed' | 'role_changed'; role: TeamRole | null },
): Promise<{ keys: { id: string }[]; devices: { id: string }[] }> {
  const allowed = grantableScopes(input.role);
  const keys = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.teamId, input.teamId),
        eq(apiKeys.createdBy, input.userId),
        isNull(apiKeys.revokedAt),
        // The scopes are the enum's own literals (API_KEY_SCOPES), never input.
        sql`not (${apiKeys.scopes} <@ ${sql.raw(`array[${allowed.map((scope) => `'${scope}'`).join(', ')}]::text[]`)})`,
      ),
    )
    .returning({ id: apiKeys.id, name: apiKeys.name });
  const devices = can(input.role, 'devices:manage')
    ? []
    : await tx
        .update(doorDevices)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(doorDevices.teamId, input.teamId), eq(doorDevices.createdBy, input.userId), isNull(doorDevices.revokedAt)))
        .returning({ id: doorDevices.id, name: doorDevices.name, eventId: doorDevices.eventId });
  for (const key of keys) {
    await recordAudit(tx, { teamId: input.teamId, actor: input.actor, action: 'api_key.revoked', target: { type: 'api_key', id: key.id }, details: { name: key.name, reason: input.reason } });
  }
  for (const device of devices) {
    await recordAudit(tx, {
      teamId: input.teamId,
      actor: input.actor,
      action: 'device.revoked',
      target: { type: 'door_device', id: device.id },
      details: { name: device.name, eventId: device.eventId, reason: input.reason },
    });
  }
  return { keys, devices };
}

/**
 * Takes a member out of the team (an owner removing them, or they leaving):
 * the last owner cannot go, nor a personal team's founder. The API keys and
 * door devices they created in the team are revoked with it.
 */
export async function removeMember(tx: Tx, input: { teamId: string; userId: string; actor: Actor }): Promise<void> {
  const team = await lockTeam(tx, input.teamId);
  // Leaving needs only the membership (checked below); removing someone else, an owner still.
  if (!(input.actor.type === 'user' && input.actor.id === input.userId)) await stillManages(tx, team.id, input.actor);
  const current = await memberRow(tx, team.id, input.userId);
  if (!current) throw new AppError('NOT_FOUND');
  if (team.personalOwnerId === input.userId) throw new AppError('PERSONAL_TEAM_OWNER');
  if (current.role === 'owner' && (await ownerCount(tx, team.id)) <= 1) throw new AppError('LAST_OWNER');
  await tx.delete(teamMembers).where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, input.userId)));
  const { keys, devices } = await revokeWhatTheyMade(tx, { teamId: team.id, userId: input.userId, actor: input.actor, reason: 'member_removed', role: null });
  await recordAudit(tx, {
    teamId: team.id,
    actor: input.actor,
    action: 'member.removed',
    target: { type: 'user', id: input.userId },
    details: { role: current.role, left: input.actor.type === 'user' && input.actor.id === input.userId, revokedApiKeys: keys.length, revokedDevices: devices.length },
  });
}
