// The value lists of the schema's enumerated columns. Plain constants with no
// imports: lib/db/schema.ts builds its enums from them, and the browser's
// forms share them without pulling in Drizzle.

export const PLANS = ['free', 'pro'] as const;
export type Plan = (typeof PLANS)[number];

export const IDEMPOTENCY_STATUSES = ['in_progress', 'awaiting_confirmation', 'completed', 'failed'] as const;
export type IdempotencyStatus = (typeof IDEMPOTENCY_STATUSES)[number];

export const EVENT_STATUSES = ['draft', 'published', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const VISIBILITIES = ['public', 'unlisted'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const LOCATION_TYPES = ['in_person', 'online'] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];

export const CHECKOUT_STATUSES = ['open', 'paid', 'expired'] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];

export const PAYMENT_PROVIDERS = ['stripe', 'test'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

export const REGISTRATION_STATUSES = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** The languages a registration may be in (the UI languages, lib/i18n/config.ts). */
export const REGISTRATION_LOCALES = ['en', 'ru'] as const;

/** What an outbox message says (lib/outbox, lib/mail/render.ts). */
export const OUTBOX_KINDS = [
  'registration_confirmed',
  'registration_waitlisted',
  'registration_promoted',
  'registration_cancelled',
  'event_changed',
  'event_cancelled',
  // Ticket orders: the receipt, a lapsed hold, refunds, a cancelled event.
  'order_confirmed',
  'order_hold_expired',
  'order_refunded',
  'order_event_cancelled',
  // The provider failed a refund: nothing was given back, the tickets stay valid.
  'order_refund_failed',
] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

// ---- integrations ----

/** What an outgoing webhook says (docs/api.md, "Integrations"): every type an endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'registration.created',
  'registration.cancelled',
  'order.paid',
  'order.refunded',
  'event.updated',
  'event.cancelled',
  'checkin.admitted',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** `disabled`: the receiver answered 410 Gone. */
export const WEBHOOK_ENDPOINT_STATUSES = ['enabled', 'disabled'] as const;
export type WebhookEndpointStatus = (typeof WEBHOOK_ENDPOINT_STATUSES)[number];

/** What a delivery carries: a subscribed type, or the test message the settings page sends. */
export const WEBHOOK_DELIVERY_TYPES = [...WEBHOOK_EVENT_TYPES, 'webhook.test'] as const;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** What the server answered a door scan (docs/api.md, "Door check-in"). */
export const SCAN_RESULTS = ['admitted', 'already_admitted', 'conflict', 'cancelled', 'unknown'] as const;
export type ScanResult = (typeof SCAN_RESULTS)[number];

// ---- paid tickets ----

export const ORDER_STATUSES = ['pending_payment', 'confirmed', 'expired', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/**
 * Why an order was cancelled: the guest cancelled it (before paying, or a free
 * one), the organiser cancelled a free order's last ticket, the event was
 * cancelled, or a payment came too late to be honoured (its money goes back).
 */
export const ORDER_CANCEL_REASONS = ['guest', 'organiser', 'event_cancelled', 'late_payment'] as const;
export type OrderCancelReason = (typeof ORDER_CANCEL_REASONS)[number];

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** Why a refund was made: the organiser, the guest, a payment that came too late for its seats or after the event started, the event cancelled. */
export const REFUND_REASONS = ['organiser', 'guest', 'late_payment_no_seats', 'late_payment_event_started', 'event_cancelled'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

// ---- discount and access codes ----

/** `disabled`: no new order may use it; orders placed with it keep their prices. */
export const DISCOUNT_CODE_STATUSES = ['active', 'disabled'] as const;
export type DiscountCodeStatus = (typeof DISCOUNT_CODE_STATUSES)[number];

// ---- questions for guests ----

/** What a question asks for (docs/api.md, "Questions"). */
export const QUESTION_KINDS = ['text', 'long_text', 'choice', 'multi_choice', 'checkbox', 'number', 'date'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** Asked once per order or registration, or for each ticket's holder. */
export const QUESTION_PER = ['order', 'ticket'] as const;
export type QuestionPer = (typeof QUESTION_PER)[number];

// ---- teams (docs/api.md, "Teams, roles and door devices") ----

/** A member's role in a team; what each may do is lib/teams/permissions.ts. */
export const TEAM_ROLES = ['owner', 'manager', 'finance', 'door'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** What an API key may be used for, chosen when it is made; keys made before scopes have all of them. */
export const API_KEY_SCOPES = ['events:read', 'events:write', 'orders:read', 'orders:refund', 'checkin', 'webhooks'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Who made a change the audit log records. */
export const AUDIT_ACTOR_TYPES = ['user', 'api_key', 'device', 'system'] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];
