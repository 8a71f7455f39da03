// The database schema: drizzle-kit generates supabase/migrations from this file,
// and every row type in the app is inferred from it.
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
// auth.users belongs to Supabase (or supabase/local on plain Postgres). It is
// imported for foreign keys only and never exported, or drizzle-kit would create it.
import { authUsers } from 'drizzle-orm/supabase';
import {
  CHECKOUT_STATUSES,
  DISCOUNT_CODE_STATUSES,
  EVENT_STATUSES,
  IDEMPOTENCY_STATUSES,
  LOCATION_TYPES,
  OUTBOX_KINDS,
  ORDER_CANCEL_REASONS,
  ORDER_STATUSES,
  OUTBOX_STATUSES,
  PAYMENT_PROVIDERS,
  PLANS,
  QUESTION_KINDS,
  QUESTION_PER,
  REGISTRATION_LOCALES,
  REFUND_REASONS,
  REFUND_STATUSES,
  REGISTRATION_STATUSES,
  SCAN_RESULTS,
  TEAM_ROLES,
  AUDIT_ACTOR_TYPES,
  API_KEY_SCOPES,
  VISIBILITIES,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_DELIVERY_TYPES,
  WEBHOOK_ENDPOINT_STATUSES,
  WEBHOOK_EVENT_TYPES,
} from '@/lib/enums';

export type {
  CheckoutStatus,
  EventStatus,
  IdempotencyStatus,
  LocationType,
  OutboxKind,
  OutboxStatus,
  PaymentProviderName,
  Plan,
  RegistrationStatus,
  ScanResult,
  Visibility,
  WebhookDeliveryStatus,
  WebhookEndpointStatus,
  WebhookEventType,
  OrderStatus,
  RefundStatus,
  RefundReason,
} from '@/lib/enums';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One row per organiser: display name and their own settings (the plan is the team's). */
export const profiles = pgTable(
  'profiles',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => authUsers.id, { onDelete: 'cascade' }),
    name: text('name'),
    /** The currency new ticket types are priced in (ISO 4217, lower case); null until the organiser picks one. */
    defaultCurrency: text('default_currency'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('profiles_default_currency_format', sql`${t.defaultCurrency} is null or ${t.defaultCurrency} ~ '^[a-z]{3}$'`),
    // `authenticated` may write the name through RLS (Supabase's Data API), past our zod schema.
    check('profiles_name_length', sql`${t.name} is null or char_length(${t.name}) <= 100`),
  ],
);

/** Local-auth sessions: only a SHA-256 of the cookie's token is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => authUsers.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_id_idx').on(t.userId)],
);

/** The rate limiter's counters (lib/rate-limit): one row per `<limit>:<digest>` key, `expire` in epoch ms. */
export const authRateLimits = pgTable('auth_rate_limits', {
  key: varchar('key', { length: 255 }).primaryKey(),
  points: integer('points').notNull().default(0),
  expire: bigint('expire', { mode: 'number' }),
});

/** One record per (principal, route, key): see docs/ssot/SSOT_ARCHITECTURE.md, Idempotency Standard. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** `user:<uuid>`, `guest:<id>` or `anonymous` (lib/idempotency/principal.ts). */
    principal: text('principal').notNull(),
    /** The user of a `user:` principal, so deleting the user deletes the records; null otherwise. */
    userId: uuid('user_id').references(() => authUsers.id, { onDelete: 'cascade' }),
    route: text('route').notNull(),
    key: uuid('key').notNull(),
    requestHash: text('request_hash').notNull(),
    /** What a mismatch report compares against: the request's path params and parsed JSON body. */
    requestBody: jsonb('request_body').$type<{ params: Record<string, string>; body: unknown }>(),
    status: text('status', { enum: IDEMPOTENCY_STATUSES }).notNull(),
    /** Fencing counter: bumped by every claim; only the current attempt may complete. */
    attempt: integer('attempt').notNull().default(1),
    /** The status the record had when this attempt claimed it (null for a new record). */
    previousStatus: text('previous_status', { enum: IDEMPOTENCY_STATUSES }),
    lockedUntil: timestamptz('locked_until'),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body').$type<unknown>(),
    /** false when the response was over the storage limit and only a marker was kept */
    responseStored: boolean('response_stored').notNull().default(true),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    resourceType: text('resource_type'),
    resourceId: uuid('resource_id'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    completedAt: timestamptz('completed_at'),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [
    uniqueIndex('idempotency_keys_principal_scope_key').on(t.principal, t.route, t.key),
    index('idempotency_keys_expires_at_idx').on(t.expiresAt),
    index('idempotency_keys_in_progress_idx')
      .on(t.lockedUntil)
      .where(sql`${t.status} = 'in_progress'`),
    check(
      'idempotency_keys_principal_check',
      sql`(${t.userId} is not null and ${t.principal} = 'user:' || ${t.userId}::text) or (${t.userId} is null and ${t.principal} not like 'user:%')`,
    ),
    check(
      'idempotency_keys_status_check',
      sql`${t.status} in ('in_progress', 'awaiting_confirmation', 'completed', 'failed')`,
    ),
  ],
);

// ---- Teams (docs/api.md, "Teams, roles and door devices") ----------------
// Events, money, keys and endpoints belong to a team. Every user has a personal
// team whose id is the user's own id (opened with the profile, by the
// database): rows written before teams named their organiser's user id, which
// is their personal team's id, so the migration moved no row of money.

/** A team: what it sells under and pays with (its plan and credits). */
export const teams = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    plan: text('plan', { enum: PLANS }).notNull().default('free'),
    /** The user whose personal team this is (its id is theirs too); null for a team made with POST /api/teams. */
    personalOwnerId: uuid('personal_owner_id').references(() => authUsers.id, { onDelete: 'cascade' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('teams_personal_owner_key').on(t.personalOwnerId),
    check('teams_plan_check', sql`${t.plan} in ('free', 'pro')`),
    check('teams_name_length', sql`char_length(${t.name}) between 1 and 100`),
    check('teams_personal_id', sql`${t.personalOwnerId} is null or ${t.personalOwnerId} = ${t.id}`),
  ],
);

/** Who is in a team, as what. A team always keeps an owner (teams_keep_an_owner, checked at commit). */
export const teamMembers = pgTable(
  'team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => authUsers.id, { onDelete: 'cascade' }),
    role: text('role', { enum: TEAM_ROLES }).notNull(),
    joinedAt: timestamptz('joined_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.userId] }),
    index('team_members_user_idx').on(t.userId),
    check('team_members_role_check', sql`${t.role} in ('owner', 'manager', 'finance', 'door')`),
  ],
);

/** An invitation by mail: the token in its link is stored only as its SHA-256, good once, for 7 days. */
export const teamInvitations = pgTable(
  'team_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    /** Lower-cased: the accepting user's email must match it. */
    email: text('email').notNull(),
    role: text('role', { enum: TEAM_ROLES }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by').references(() => authUsers.id, { onDelete: 'set null' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    acceptedAt: timestamptz('accepted_at'),
    acceptedBy: uuid('accepted_by').references(() => authUsers.id, { onDelete: 'set null' }),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    uniqueIndex('team_invitations_token_hash_key').on(t.tokenHash),
    index('team_invitations_team_idx').on(t.teamId, t.createdAt.desc()),
    check('team_invitations_role_check', sql`${t.role} in ('owner', 'manager', 'finance', 'door')`),
    check('team_invitations_email_format', sql`${t.email} = lower(${t.email}) and char_length(${t.email}) between 3 and 254`),
  ],
);

/**
 * A phone at an event's door: its bearer token (`evd_…`, stored as SHA-256)
 * reads that event's check-in snapshot and posts its scans, nothing else.
 */
export const doorDevices = pgTable(
  'door_devices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references((): AnyPgColumn => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: uuid('created_by').references(() => authUsers.id, { onDelete: 'set null' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    lastSeenAt: timestamptz('last_seen_at'),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    uniqueIndex('door_devices_token_hash_key').on(t.tokenHash),
    index('door_devices_event_idx').on(t.eventId, t.createdAt.desc()),
    check('door_devices_name_length', sql`char_length(${t.name}) between 1 and 100`),
  ],
);

/**
 * Privileged writes, each in the transaction of its change (docs/api.md,
 * "Audit"): who (a user, an API key, a door device), what, on what.
 * Append-only (a trigger refuses updates and deletes but the team's own).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    at: timestamptz('at').notNull().defaultNow(),
    actorType: text('actor_type', { enum: AUDIT_ACTOR_TYPES }).notNull(),
    /** The user's, key's or device's id; null for the system. */
    actorId: uuid('actor_id'),
    /** The actor's name when it acted (a user's name or email, a key's or device's name). */
    actorName: text('actor_name'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [
    index('audit_log_team_idx').on(t.teamId, t.id.desc()),
    check('audit_log_actor_type_check', sql`${t.actorType} in ('user', 'api_key', 'device', 'system')`),
  ],
);

export type TeamRow = typeof teams.$inferSelect;
export type TeamMemberRow = typeof teamMembers.$inferSelect;
export type TeamInvitationRow = typeof teamInvitations.$inferSelect;
export type DoorDeviceRow = typeof doorDevices.$inferSelect;
export type AuditLogRow = typeof auditLog.$inferSelect;

export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    startsAt: timestamptz('starts_at').notNull(),
    endsAt: timestamptz('ends_at').notNull(),
    timezone: text('timezone').notNull(),
    locationType: text('location_type', { enum: LOCATION_TYPES }).notNull(),
    locationAddress: text('location_address'),
    locationUrl: text('location_url'),
    maxParticipants: integer('max_participants').notNull(),
    visibility: text('visibility', { enum: VISIBILITIES }).notNull().default('public'),
    status: text('status', { enum: EVENT_STATUSES }).notNull().default('published'),
    /** URL-safe, unique, never changes (a trigger refuses updates): the public page is /e/<slug>. */
    slug: text('slug')
      .notNull()
      .default(sql`('e-' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 12))`),
    /** Whether a full event takes waitlisted registrations. */
    waitlist: boolean('waitlist').notNull().default(true),
    /** The cover's name in the media store (lib/media: content-hashed WebP), its size in pixels; all null without a cover. */
    coverName: text('cover_name'),
    coverWidth: integer('cover_width'),
    coverHeight: integer('cover_height'),
    /** Kept by the registrations trigger only (supabase/migrations/*_registrations.sql); never written by the app. */
    confirmedCount: integer('confirmed_count').notNull().default(0),
    waitlistedCount: integer('waitlisted_count').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('events_team_created_idx').on(t.teamId, t.createdAt.desc(), t.id.desc()),
    uniqueIndex('events_slug_key').on(t.slug),
    check('events_slug_format', sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(${t.slug}) <= 80`),
    // The capacity invariant: confirmed registrations never exceed capacity, at any instant.
    check('events_confirmed_within_capacity', sql`${t.confirmedCount} >= 0 and ${t.confirmedCount} <= ${t.maxParticipants}`),
    check(
      'events_cover_check',
      sql`(${t.coverName} is null and ${t.coverWidth} is null and ${t.coverHeight} is null) or (${t.coverName} is not null and ${t.coverWidth} > 0 and ${t.coverHeight} > 0)`,
    ),
    check('events_waitlisted_non_negative', sql`${t.waitlistedCount} >= 0`),
    check('events_ends_after_starts', sql`${t.endsAt} > ${t.startsAt}`),
    check('events_max_participants_range', sql`${t.maxParticipants} between 1 and 10000`),
    check('events_status_check', sql`${t.status} in ('draft', 'published', 'cancelled')`),
    check('events_visibility_check', sql`${t.visibility} in ('public', 'unlisted')`),
    check(
      'events_location_check',
      sql`(${t.locationType} = 'in_person' and ${t.locationAddress} is not null) or (${t.locationType} = 'online' and ${t.locationUrl} is not null)`,
    ),
  ],
);

/** The balance; the ledger is its history, and the two always agree. */
export const creditAccounts = pgTable(
  'credit_accounts',
  {
    teamId: uuid('team_id')
      .primaryKey()
      .references(() => teams.id, { onDelete: 'cascade' }),
    balance: integer('balance').notNull().default(0),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [check('credit_accounts_balance_non_negative', sql`${t.balance} >= 0`)],
);

/**
 * One purchase attempt of a credit pack: what it costs and grants, frozen when
 * it is opened, and the provider's session. open → paid or open → expired, never
 * back and never from one end to the other.
 */
export const checkouts = pgTable(
  'checkouts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    packId: text('pack_id').notNull(),
    credits: integer('credits').notNull(),
    /** In the currency's minor units (cents). */
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: CHECKOUT_STATUSES }).notNull().default('open'),
    provider: text('provider', { enum: PAYMENT_PROVIDERS }).notNull(),
    providerSessionId: text('provider_session_id'),
    url: text('url'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    paidAt: timestamptz('paid_at'),
    expiredAt: timestamptz('expired_at'),
  },
  (t) => [
    index('checkouts_team_created_idx').on(t.teamId, t.createdAt.desc(), t.id.desc()),
    uniqueIndex('checkouts_provider_session_key').on(t.provider, t.providerSessionId),
    check('checkouts_status_check', sql`${t.status} in ('open', 'paid', 'expired')`),
    check('checkouts_provider_check', sql`${t.provider} in ('stripe', 'test')`),
    check('checkouts_credits_positive', sql`${t.credits} > 0`),
    check('checkouts_amount_positive', sql`${t.amount} > 0`),
    check('checkouts_currency_format', sql`${t.currency} ~ '^[a-z]{3}$'`),
    check(
      'checkouts_status_times',
      sql`(${t.status} = 'paid') = (${t.paidAt} is not null) and (${t.status} = 'expired') = (${t.expiredAt} is not null)`,
    ),
  ],
);

/**
 * The payment provider's webhook inbox: one row per provider event id, written
 * in the same transaction as whatever the event changed, so a redelivered
 * event finds its row and changes nothing.
 */
export const paymentEvents = pgTable(
  'payment_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    provider: text('provider', { enum: PAYMENT_PROVIDERS }).notNull(),
    providerEventId: text('provider_event_id').notNull(),
    type: text('type').notNull(),
    checkoutId: uuid('checkout_id').references(() => checkouts.id, { onDelete: 'set null' }),
    /** What the event did: granted, expired, ignored, unknown_checkout, … */
    outcome: text('outcome').notNull(),
    /** The order a ticket payment's event was about. */
    orderId: uuid('order_id').references((): AnyPgColumn => orders.id, { onDelete: 'set null' }),
    /**
     * The connected account a Connect event came from (Stripe's `account`), '' for the platform's own:
     * part of the event's identity, so two accounts' events (or a platform's and an account's) never collide.
     */
    account: text('account').notNull().default(''),
    receivedAt: timestamptz('received_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('payment_events_provider_account_event_key').on(t.provider, t.account, t.providerEventId),
    index('payment_events_checkout_idx').on(t.checkoutId),
    check('payment_events_provider_check', sql`${t.provider} in ('stripe', 'test')`),
  ],
);

export const creditLedger = pgTable(
  'credit_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    delta: integer('delta').notNull(),
    reason: text('reason').notNull(),
    eventId: uuid('event_id').references(() => events.id, { onDelete: 'set null' }),
    // An expired record is as good as purged: deleting it or reusing its key
    // (which gives the record a new id) unlinks the old charge alike.
    idempotencyKeyId: uuid('idempotency_key_id').references(() => idempotencyKeys.id, {
      onDelete: 'set null',
      onUpdate: 'set null',
    }),
    /** The purchase that granted this row's credits (reason `purchase`): at most one row per checkout. */
    checkoutId: uuid('checkout_id').references(() => checkouts.id, { onDelete: 'set null' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('credit_ledger_team_created_idx').on(t.teamId, t.createdAt.desc()),
    uniqueIndex('credit_ledger_checkout_key')
      .on(t.checkoutId)
      .where(sql`${t.checkoutId} is not null`),
    check('credit_ledger_delta_non_zero', sql`${t.delta} <> 0`),
  ],
);

/** Which event a credit lifted, and to what limit; one per event, for its whole life. */
export const eventUpgrades = pgTable('event_upgrades', {
  eventId: uuid('event_id')
    .primaryKey()
    .references(() => events.id, { onDelete: 'cascade' }),
  teamId: uuid('team_id')
    .notNull()
    .references(() => teams.id, { onDelete: 'cascade' }),
  participantLimit: integer('participant_limit').notNull(),
  ledgerId: bigint('ledger_id', { mode: 'number' })
    .notNull()
    .references(() => creditLedger.id),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/**
 * A registration for an event (docs/api.md, "Public event pages and
 * registrations"). The manage token is stored only as its SHA-256.
 */
export const registrations = pgTable(
  'registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** Registration order, taken under the event's row lock: the waitlist is ordered by it. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    emailNormalized: text('email_normalized')
      .notNull()
      .generatedAlwaysAs(sql`lower(email)`),
    status: text('status', { enum: REGISTRATION_STATUSES }).notNull(),
    tokenHash: text('token_hash').notNull(),
    locale: text('locale', { enum: REGISTRATION_LOCALES }).notNull().default('en'),
    checkedInAt: timestamptz('checked_in_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    cancelledAt: timestamptz('cancelled_at'),
    /** Paid tickets: a ticket is a registration of an order, of a ticket type; null for a free registration. */
    orderId: uuid('order_id').references((): AnyPgColumn => orders.id, { onDelete: 'cascade' }),
    ticketTypeId: uuid('ticket_type_id').references((): AnyPgColumn => ticketTypes.id),
    /**
     * What a guest reads out or types at the door (docs/api.md, "Door check-in"): 8 characters of
     * Crockford base32, unique within the event. lib/registrations writes it (reference.ts); the
     * default is the backfill's generator and covers rows written by plain SQL (benches, tests).
     */
    reference: text('reference').notNull().default(sql`public.new_registration_reference()`),
  },
  (t) => [
    uniqueIndex('registrations_token_hash_key').on(t.tokenHash),
    uniqueIndex('registrations_event_reference_key').on(t.eventId, t.reference),
    check('registrations_reference_format', sql`${t.reference} ~ '^[0-9A-HJKMNP-TV-Z]{8}$'`),
    // One live registration per email and event, whatever the case of the address;
    // tickets of orders are not registrations of an email (one buyer, many tickets).
    uniqueIndex('registrations_event_email_live_key')
      .on(t.eventId, t.emailNormalized)
      .where(sql`${t.status} <> 'cancelled' and ${t.orderId} is null`),
    index('registrations_order_idx').on(t.orderId).where(sql`${t.orderId} is not null`),
    check('registrations_ticket_of_order', sql`(${t.orderId} is null) = (${t.ticketTypeId} is null)`),
    index('registrations_event_status_seq_idx').on(t.eventId, t.status, t.seq),
    check('registrations_status_check', sql`${t.status} in ('confirmed', 'waitlisted', 'cancelled')`),
    check('registrations_locale_check', sql`${t.locale} in ('en', 'ru')`),
    check('registrations_cancelled_at_check', sql`(${t.status} = 'cancelled') = (${t.cancelledAt} is not null)`),
    check('registrations_name_length', sql`char_length(${t.name}) between 1 and 100`),
    check('registrations_email_length', sql`char_length(${t.email}) between 3 and 254`),
  ],
);

/**
 * The transactional outbox (docs/ssot, "Outbox standard"): a message is
 * inserted in the transaction of the change that causes it and delivered by
 * the mail worker (lib/outbox/worker.ts). `next_attempt_at` is when the row is
 * next due: for `pending` the next try, for `sending` the end of the lease
 * (a row whose lease lapsed is claimed again). `payload` is cleared when the
 * row is purged after retention.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: OUTBOX_KINDS }).notNull(),
    recipient: text('recipient').notNull(),
    locale: text('locale', { enum: REGISTRATION_LOCALES }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    eventId: uuid('event_id').references(() => events.id, { onDelete: 'cascade' }),
    registrationId: uuid('registration_id').references(() => registrations.id, { onDelete: 'cascade' }),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
    leaseUntil: timestamptz('lease_until'),
    claimedBy: text('claimed_by'),
    lastError: text('last_error'),
    sentAt: timestamptz('sent_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // The claim's scan: due rows only, oldest due first.
    index('outbox_messages_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'sending')`),
    // Retention: finished rows by age.
    index('outbox_messages_finished_idx')
      .on(t.updatedAt)
      .where(sql`${t.status} in ('sent', 'failed')`),
    index('outbox_messages_registration_idx').on(t.registrationId),
    check('outbox_messages_status_check', sql`${t.status} in ('pending', 'sending', 'sent', 'failed')`),
    check('outbox_messages_locale_check', sql`${t.locale} in ('en', 'ru')`),
    check('outbox_messages_sent_at_check', sql`(${t.status} = 'sent') = (${t.sentAt} is not null)`),
    check('outbox_messages_attempts_check', sql`${t.attempts} >= 0`),
  ],
);

// ---- door check-in ----------------------------------------------

/**
 * Every scan at the door, from the scanner page or the attendee list
 * (docs/api.md, "Door check-in"). A scan's nonce is its identity: a resent
 * scan finds its row and records nothing more. The admission of a ticket is
 * its one `admitted` scan: the partial unique index makes a second one
 * impossible to record, whoever writes. `received_at` is when the scan reached
 * the server, which tells a `conflict` (made before the admission arrived)
 * from `already_admitted` (made after).
 */
export const checkinScans = pgTable(
  'checkin_scans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    nonce: uuid('nonce').notNull(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** The ticket the code named; null for an unknown or forged code. */
    registrationId: uuid('registration_id').references(() => registrations.id, { onDelete: 'cascade' }),
    deviceId: text('device_id').notNull(),
    /** The door device (a token, not a session) that posted the scan; null for a signed-in member's phone. */
    doorDeviceId: uuid('door_device_id').references((): AnyPgColumn => doorDevices.id, { onDelete: 'set null' }),
    scannedAt: timestamptz('scanned_at').notNull(),
    receivedAt: timestamptz('received_at').notNull().defaultNow(),
    result: text('result', { enum: SCAN_RESULTS }).notNull(),
  },
  (t) => [
    uniqueIndex('checkin_scans_nonce_key').on(t.nonce),
    uniqueIndex('checkin_scans_one_admission_key')
      .on(t.registrationId)
      .where(sql`${t.result} = 'admitted'`),
    index('checkin_scans_event_result_idx').on(t.eventId, t.result),
    index('checkin_scans_registration_idx').on(t.registrationId),
    check('checkin_scans_result_check', sql`${t.result} in ('admitted', 'already_admitted', 'conflict', 'cancelled', 'unknown')`),
    check('checkin_scans_device_length', sql`char_length(${t.deviceId}) between 1 and 100`),
    check('checkin_scans_ticket_unless_unknown', sql`${t.result} in ('unknown') or ${t.registrationId} is not null`),
  ],
);

/**
 * The Ed25519 key that signs ticket codes, when CHECKIN_SIGNING_KEY does not
 * name one: generated by the first instance that needs it and shared through
 * the database by every other (lib/checkin/signing-key.ts). Server only (RLS
 * on, no policy).
 */
export const checkinSigningKeys = pgTable('checkin_signing_keys', {
  id: text('id').primaryKey(),
  /** The 32-byte private seed, base64url. */
  seed: text('seed').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

export type CheckinScanRow = typeof checkinScans.$inferSelect;

// ---- Paid tickets (docs/api.md, "Paid tickets (guests)") ----------
// Seats and money are database facts: the migration *_paid_tickets.sql adds the
// triggers that keep ticket_types.sold_count, refuse a refund beyond its
// payment, and refuse a paid order that ends with neither seats nor a refund.

/** What an event sells: a price in minor units (0 is free), an optional quantity. One currency per event. */
export const ticketTypes = pgTable(
  'ticket_types',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    priceAmount: integer('price_amount').notNull(),
    currency: text('currency').notNull(),
    quantity: integer('quantity'),
    /** Confirmed tickets of this type: kept by the registrations trigger only. */
    soldCount: integer('sold_count').notNull().default(0),
    salesEndAt: timestamptz('sales_end_at'),
    /** Kept off the public page: shown and sold only to a guest with a code that unlocks it (discount_codes.unlocks). */
    hidden: boolean('hidden').notNull().default(false),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('ticket_types_event_idx').on(t.eventId, t.createdAt),
    check('ticket_types_name_length', sql`char_length(${t.name}) between 1 and 100`),
    check('ticket_types_price_range', sql`${t.priceAmount} between 0 and 100000000`),
    check('ticket_types_currency_format', sql`${t.currency} ~ '^[a-z]{3}$'`),
    check('ticket_types_quantity_positive', sql`${t.quantity} is null or ${t.quantity} between 1 and 10000`),
    // A type's quantity invariant: confirmed tickets never exceed it, at any instant.
    check('ticket_types_sold_within_quantity', sql`${t.soldCount} >= 0 and (${t.quantity} is null or ${t.soldCount} <= ${t.quantity})`),
  ],
);

/**
 * A discount or access code of an event: a percent or an amount off each
 * ticket of its types, and/or hidden types it unlocks. A use is one ticket;
 * uses are never stored: they are counted from the live rows (the confirmed
 * tickets of items bought with it, and the items of live holds), under the
 * event's lock, so an expired hold, a cancelled order or a refunded ticket
 * gives its use back by being what it is. The database refuses confirmed
 * tickets beyond max_uses (discount_codes_within_max_uses, at commit).
 */
export const discountCodes = pgTable(
  'discount_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** Upper-case, 3 to 32 of A-Z 0-9 - _ (matched without regard to case). */
    code: text('code').notNull(),
    /** 1..100, or null. */
    discountPercent: integer('discount_percent'),
    /** Minor units off each ticket (never below 0), in `currency`; or null. */
    discountAmount: integer('discount_amount'),
    currency: text('currency'),
    /** The types it applies to; null: all of the event's. */
    ticketTypeIds: uuid('ticket_type_ids').array(),
    /** Hidden types it makes visible and buyable. */
    unlocks: uuid('unlocks').array().notNull().default(sql`'{}'::uuid[]`),
    /** Tickets that may be bought with it; null: no limit. */
    maxUses: integer('max_uses'),
    validFrom: timestamptz('valid_from'),
    validUntil: timestamptz('valid_until'),
    status: text('status', { enum: DISCOUNT_CODE_STATUSES }).notNull().default('active'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('discount_codes_event_code_key').on(t.eventId, t.code),
    check('discount_codes_code_format', sql`${t.code} ~ '^[A-Z0-9_-]{3,32}$'`),
    check('discount_codes_status_check', sql`${t.status} in ('active', 'disabled')`),
    check(
      'discount_codes_discount_shape',
      sql`(${t.discountPercent} is null or ${t.discountAmount} is null) and (${t.discountPercent} is null or ${t.discountPercent} between 1 and 100) and (${t.discountAmount} is null or (${t.discountAmount} between 1 and 100000000 and ${t.currency} ~ '^[a-z]{3}$'))`,
    ),
    check('discount_codes_max_uses_range', sql`${t.maxUses} is null or ${t.maxUses} between 1 and 1000000`),
    check('discount_codes_validity_order', sql`${t.validFrom} is null or ${t.validUntil} is null or ${t.validFrom} < ${t.validUntil}`),
  ],
);

/**
 * A guest's order: its seats are held (order_items) while it is
 * `pending_payment` and `hold_expires_at` is in the future; its tickets are
 * registrations rows created when it is confirmed.
 */
export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The order number a guest and the organiser quote. */
    number: bigserial('number', { mode: 'number' }).notNull(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    locale: text('locale', { enum: REGISTRATION_LOCALES }).notNull().default('en'),
    /** SHA-256 of the /o/<token> secret. */
    tokenHash: text('token_hash').notNull(),
    currency: text('currency').notNull(),
    /** In minor units: the sum of its items, frozen at ordering. */
    totalAmount: integer('total_amount').notNull(),
    holdExpiresAt: timestamptz('hold_expires_at').notNull(),
    /** When the hold grew, once, to the payment session's expiry (the provider's minimum session length); null while it has not. */
    holdExtendedAt: timestamptz('hold_extended_at'),
    provider: text('provider', { enum: PAYMENT_PROVIDERS }),
    /** The one payment session of this order, ever. */
    providerSessionId: text('provider_session_id'),
    paymentUrl: text('payment_url'),
    /** The discount or access code the guest ordered with (its items bought with it name it too). */
    codeId: uuid('code_id').references(() => discountCodes.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    confirmedAt: timestamptz('confirmed_at'),
    /** Why it was cancelled, set with the move to `cancelled` (null before, and on some orders cancelled before this column). */
    cancelReason: text('cancel_reason', { enum: ORDER_CANCEL_REASONS }),
    /** Whether the order gave ticket holders' names or answers (ticket_holders, answers): its tickets take them when issued. */
    holderDetails: boolean('holder_details').notNull().default(false),
    /** The platform's fee (minor units), frozen when the order is placed: 0 unless it sells through a connected account. */
    feeAmount: integer('fee_amount').notNull().default(0),
    /** The team's connected account the money goes to (a destination charge), frozen when the order is placed; null: the deployment's own account. */
    destinationAccount: text('destination_account'),
  },
  (t) => [
    uniqueIndex('orders_token_hash_key').on(t.tokenHash),
    uniqueIndex('orders_number_key').on(t.number),
    uniqueIndex('orders_provider_session_key').on(t.provider, t.providerSessionId),
    index('orders_event_created_idx').on(t.eventId, t.createdAt.desc(), t.id.desc()),
    // Live holds of an event, and the sweep's scan.
    index('orders_pending_hold_idx')
      .on(t.eventId, t.holdExpiresAt)
      .where(sql`${t.status} = 'pending_payment'`),
    index('orders_hold_expiry_idx')
      .on(t.holdExpiresAt)
      .where(sql`${t.status} = 'pending_payment'`),
    // A code's confirmed tickets: only confirmed orders hold them (counted under the event's lock, never over abandoned holds).
    index('orders_code_confirmed_idx')
      .on(t.codeId)
      .where(sql`${t.status} = 'confirmed' and ${t.codeId} is not null`),
    check('orders_status_check', sql`${t.status} in ('pending_payment', 'confirmed', 'expired', 'cancelled', 'refunded')`),
    check('orders_locale_check', sql`${t.locale} in ('en', 'ru')`),
    check('orders_cancel_reason_check', sql`${t.cancelReason} in ('guest', 'organiser', 'event_cancelled', 'late_payment')`),
    check('orders_total_non_negative', sql`${t.totalAmount} >= 0`),
    check('orders_fee_within_total', sql`${t.feeAmount} >= 0 and ${t.feeAmount} <= ${t.totalAmount}`),
    check('orders_fee_needs_destination', sql`${t.feeAmount} = 0 or ${t.destinationAccount} is not null`),
    check('orders_currency_format', sql`${t.currency} ~ '^[a-z]{3}$'`),
    check('orders_name_length', sql`char_length(${t.name}) between 1 and 100`),
    check('orders_email_length', sql`char_length(${t.email}) between 3 and 254`),
  ],
);

/** What an order holds and, once confirmed, what its tickets are: per type, a quantity at a price frozen at ordering. */
export const orderItems = pgTable(
  'order_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    ticketTypeId: uuid('ticket_type_id')
      .notNull()
      .references(() => ticketTypes.id),
    quantity: integer('quantity').notNull(),
    /** The type's price when ordered. */
    unitAmount: integer('unit_amount').notNull(),
    /** Off each ticket of the item by its code (0 without one): a ticket is charged unit_amount - unit_discount. */
    unitDiscount: integer('unit_discount').notNull().default(0),
    /** The code these tickets were bought with: each of them is one use of it (discount_codes_within_max_uses). */
    codeId: uuid('code_id').references(() => discountCodes.id),
  },
  (t) => [
    uniqueIndex('order_items_order_type_key').on(t.orderId, t.ticketTypeId),
    index('order_items_type_idx').on(t.ticketTypeId),
    // A code's uses: its items, counted under the event's lock.
    index('order_items_code_idx')
      .on(t.codeId)
      .where(sql`${t.codeId} is not null`),
    check('order_items_quantity_range', sql`${t.quantity} between 1 and 10`),
    check('order_items_unit_amount_non_negative', sql`${t.unitAmount} >= 0`),
    check('order_items_unit_discount_range', sql`${t.unitDiscount} >= 0 and ${t.unitDiscount} <= ${t.unitAmount}`),
  ],
);

/** Money received for an order (never edited): one payment per order, from its one session. */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: PAYMENT_PROVIDERS }).notNull(),
    /** Stripe's PaymentIntent (what a refund names). */
    providerPaymentId: text('provider_payment_id'),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('payments_order_key').on(t.orderId),
    check('payments_amount_positive', sql`${t.amount} > 0`),
    check('payments_currency_format', sql`${t.currency} ~ '^[a-z]{3}$'`),
  ],
);

/**
 * Money returned: a row per refund, written before the provider is asked
 * (whose idempotency key is `refund-<id>`), so a crash between the commit and
 * the provider's answer is finished by the refund worker without refunding twice.
 * Only status, the provider's id, the attempt bookkeeping and times ever change.
 */
export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id, { onDelete: 'cascade' }),
    amount: integer('amount').notNull(),
    status: text('status', { enum: REFUND_STATUSES }).notNull().default('pending'),
    reason: text('reason', { enum: REFUND_REASONS }).notNull(),
    /** The ticket this refund gives back (an organiser cancelling one ticket of a paid order); null for money alone or the whole order. */
    registrationId: uuid('registration_id').references(() => registrations.id, { onDelete: 'cascade' }),
    providerRefundId: text('provider_refund_id'),
    attempts: integer('attempts').notNull().default(0),
    /** How often the organiser retried it after the provider failed it: each retry is a new provider request (`refund-<id>-retry-<n>`). */
    retries: integer('retries').notNull().default(0),
    /** The refund worker's lease and next try (like the outbox's). */
    nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
    /** The part of the order's fee this refund gives back (lib/payouts/fees.ts, refundFee), decided when it is written. */
    feeAmount: integer('fee_amount').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('refunds_order_idx').on(t.orderId),
    index('refunds_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    check('refunds_amount_positive', sql`${t.amount} > 0`),
    check('refunds_fee_within_amount', sql`${t.feeAmount} >= 0 and ${t.feeAmount} <= ${t.amount}`),
    check('refunds_status_check', sql`${t.status} in ('pending', 'succeeded', 'failed')`),
    check('refunds_reason_check', sql`${t.reason} in ('organiser', 'guest', 'late_payment_no_seats', 'late_payment_event_started', 'event_cancelled')`),
    index('refunds_registration_idx')
      .on(t.registrationId)
      .where(sql`${t.registrationId} is not null`),
  ],
);

/**
 * A team's one connected account (Stripe Connect, Express; or the test
 * provider's simulated one): created once per team, ever, and moved only by
 * the provider's `account.updated`, applied in the order of its `created` time.
 */
export const connectedAccounts = pgTable(
  'connected_accounts',
  {
    teamId: uuid('team_id')
      .primaryKey()
      .references(() => teams.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: PAYMENT_PROVIDERS }).notNull(),
    /** Stripe's `acct_…` (the test provider's `test_acct_…`). */
    providerAccountId: text('provider_account_id').notNull(),
    chargesEnabled: boolean('charges_enabled').notNull().default(false),
    payoutsEnabled: boolean('payouts_enabled').notNull().default(false),
    detailsSubmitted: boolean('details_submitted').notNull().default(false),
    /** What the provider still asks for (Stripe's requirements.currently_due). */
    requirements: jsonb('requirements').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** The `created` time of the provider's account state applied last: an older one changes nothing. */
    stateAt: timestamptz('state_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('connected_accounts_provider_account_key').on(t.provider, t.providerAccountId),
    check('connected_accounts_provider_check', sql`${t.provider} in ('stripe', 'test')`),
  ],
);

export type ConnectedAccountRow = typeof connectedAccounts.$inferSelect;
export type TicketTypeRow = typeof ticketTypes.$inferSelect;
export type DiscountCodeRow = typeof discountCodes.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;

export type Session = typeof sessions.$inferSelect;
export type OutboxMessageRow = typeof outboxMessages.$inferSelect;
export type RegistrationRow = typeof registrations.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type CheckoutRow = typeof checkouts.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;

// ---- integrations: API keys, webhook endpoints and their deliveries ----

/** Bearer API keys: only the SHA-256 of the secret is stored; `prefix` is what the settings page shows. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    /** Who made it (null once that user is deleted); the key acts as the team, within its scopes. */
    createdBy: uuid('created_by').references(() => authUsers.id, { onDelete: 'set null' }),
    /** What it may do (docs/api.md): a request outside them is 403 INSUFFICIENT_SCOPE. */
    scopes: text('scopes', { enum: API_KEY_SCOPES })
      .array()
      .notNull()
      .default(sql`array['events:read', 'events:write', 'orders:read', 'orders:refund', 'checkin', 'webhooks']::text[]`),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    lastUsedAt: timestamptz('last_used_at'),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    uniqueIndex('api_keys_secret_hash_key').on(t.secretHash),
    index('api_keys_team_idx').on(t.teamId),
    check('api_keys_scopes_known', sql`${t.scopes} <@ array['events:read', 'events:write', 'orders:read', 'orders:refund', 'checkin', 'webhooks']::text[] and cardinality(${t.scopes}) > 0`),
    check('api_keys_name_length', sql`char_length(${t.name}) between 1 and 100`),
  ],
);

/** Where an organiser's webhooks go. The secret signs every message (Standard Webhooks), so it is kept as it is. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    events: text('events', { enum: WEBHOOK_EVENT_TYPES }).array().notNull(),
    secret: text('secret').notNull(),
    status: text('status', { enum: WEBHOOK_ENDPOINT_STATUSES }).notNull().default('enabled'),
    disabledAt: timestamptz('disabled_at'),
    /**
     * The API key that created the endpoint; null: the organiser's browser
     * session. Keys are revoked, never deleted, so the key stays nameable.
     */
    createdByApiKeyId: uuid('created_by_api_key_id').references(() => apiKeys.id),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('webhook_endpoints_team_idx').on(t.teamId),
    check('webhook_endpoints_status_check', sql`${t.status} in ('enabled', 'disabled')`),
    check('webhook_endpoints_url_length', sql`char_length(${t.url}) <= 2000`),
  ],
);

/**
 * The webhooks' outbox: one row per message and endpoint, written in the
 * change's transaction, claimed by the webhook worker like outbox_messages
 * (FOR UPDATE SKIP LOCKED + a lease). `message_id` is the `webhook-id` of
 * every attempt; `payload` is the body, frozen at the change.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    messageId: text('message_id').notNull(),
    type: text('type', { enum: WEBHOOK_DELIVERY_TYPES }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
    leaseUntil: timestamptz('lease_until'),
    claimedBy: text('claimed_by'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: timestamptz('delivered_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_endpoint_message_key').on(t.endpointId, t.messageId),
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
    index('webhook_deliveries_finished_idx')
      .on(t.updatedAt)
      .where(sql`${t.status} in ('delivered', 'failed')`),
    check('webhook_deliveries_status_check', sql`${t.status} in ('pending', 'sending', 'delivered', 'failed')`),
    check('webhook_deliveries_attempts_check', sql`${t.attempts} >= 0`),
  ],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

// ---- questions for guests (docs/api.md, "Questions") -------------------------
// The migration *_questions.sql adds the deferred constraint trigger
// registrations_required_answers: at commit, a registration that became
// confirmed has an answer to every required question it was asked, whoever
// wrote it (the page, the API, a waitlist promotion, a late payment).

/** A choice's option: its id is given by the server and kept across edits. */
export type QuestionOption = { id: string; label: string };

/** A question as it is now; each edit bumps `version` and adds a question_versions row. Deleted: `deleted_at` set, never removed. */
export const questions = pgTable(
  'questions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    help: text('help').notNull().default(''),
    kind: text('kind', { enum: QUESTION_KINDS }).notNull(),
    options: jsonb('options').$type<QuestionOption[]>().notNull().default([]),
    required: boolean('required').notNull().default(false),
    per: text('per', { enum: QUESTION_PER }).notNull().default('order'),
    ticketTypeIds: uuid('ticket_type_ids').array().notNull().default(sql`'{}'::uuid[]`),
    position: integer('position').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    deletedAt: timestamptz('deleted_at'),
  },
  (t) => [
    index('questions_event_position_idx').on(t.eventId, t.position),
    check('questions_kind_check', sql`${t.kind} in ('text', 'long_text', 'choice', 'multi_choice', 'checkbox', 'number', 'date')`),
    check('questions_per_check', sql`${t.per} in ('order', 'ticket')`),
    check('questions_label_length', sql`char_length(${t.label}) between 1 and 200`),
    check('questions_help_length', sql`char_length(${t.help}) <= 500`),
    check('questions_version_positive', sql`${t.version} >= 1`),
  ],
);

/** Every version of a question as it was asked: what an answer's label and option labels are read from. */
export const questionVersions = pgTable(
  'question_versions',
  {
    questionId: uuid('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    label: text('label').notNull(),
    help: text('help').notNull(),
    kind: text('kind', { enum: QUESTION_KINDS }).notNull(),
    options: jsonb('options').$type<QuestionOption[]>().notNull(),
    required: boolean('required').notNull(),
    per: text('per', { enum: QUESTION_PER }).notNull(),
    ticketTypeIds: uuid('ticket_type_ids').array().notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.version] })],
);

/**
 * An answer, written in the transaction of its registration or order. A free
 * registration's answers and a ticket holder's name its registration; an
 * order's answers for the whole order name the order (holder_index null); a
 * holder's answers name the order, the type and the holder's place among that
 * type's tickets, and their ticket once it is issued. `text` is what a person
 * reads (option labels as they were). Erased (`erased_at`): value and text
 * removed, the row kept so the registration still counts as having answered.
 */
export const answers = pgTable(
  'answers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    questionId: uuid('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    registrationId: uuid('registration_id').references(() => registrations.id, { onDelete: 'cascade' }),
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'cascade' }),
    ticketTypeId: uuid('ticket_type_id').references(() => ticketTypes.id),
    holderIndex: integer('holder_index'),
    value: jsonb('value').$type<AnswerValue>(),
    text: text('text'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    erasedAt: timestamptz('erased_at'),
  },
  (t) => [
    uniqueIndex('answers_registration_question_key')
      .on(t.registrationId, t.questionId)
      .where(sql`${t.registrationId} is not null`),
    uniqueIndex('answers_order_question_key')
      .on(t.orderId, t.questionId)
      .where(sql`${t.orderId} is not null and ${t.holderIndex} is null`),
    uniqueIndex('answers_holder_question_key')
      .on(t.orderId, t.ticketTypeId, t.holderIndex, t.questionId)
      .where(sql`${t.holderIndex} is not null`),
    index('answers_question_idx').on(t.questionId),
    index('answers_event_idx').on(t.eventId),
    foreignKey({ columns: [t.questionId, t.version], foreignColumns: [questionVersions.questionId, questionVersions.version] }),
    check('answers_holder_of_order', sql`${t.holderIndex} is null or (${t.orderId} is not null and ${t.ticketTypeId} is not null and ${t.holderIndex} >= 0)`),
    check('answers_erased_empty', sql`${t.erasedAt} is null or (${t.value} is null and ${t.text} is null)`),
    check('answers_kept_unless_erased', sql`${t.erasedAt} is not null or ${t.value} is not null`),
  ],
);

/** An answer's value: text, long text and date are strings, a choice an option id, a multiple choice option ids. */
export type AnswerValue = string | number | boolean | string[];

/** The name of each ticket's holder given with an order, by type and place; copied onto the ticket when it is issued. */
export const ticketHolders = pgTable(
  'ticket_holders',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    ticketTypeId: uuid('ticket_type_id')
      .notNull()
      .references(() => ticketTypes.id),
    holderIndex: integer('holder_index').notNull(),
    name: text('name').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.ticketTypeId, t.holderIndex] }),
    check('ticket_holders_name_length', sql`char_length(${t.name}) between 1 and 100`),
    check('ticket_holders_index_range', sql`${t.holderIndex} between 0 and 9`),
  ],
);

export type QuestionRow = typeof questions.$inferSelect;
export type QuestionVersionRow = typeof questionVersions.$inferSelect;
export type AnswerRow = typeof answers.$inferSelect;
