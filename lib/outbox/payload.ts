// What an outbox row's payload holds: everything the mail needs, frozen at the
// moment of the change (the event as it was then), so a resend renders the
// same mail. Written by lib/outbox/enqueue.ts, read by lib/mail/render.ts.
import { z } from '@/lib/zod';
import { OUTBOX_KINDS, REGISTRATION_LOCALES, TEAM_ROLES } from '@/lib/enums';

const location = z.union([
  z.object({ type: z.literal('online'), url: z.string() }),
  z.object({ type: z.literal('in_person'), address: z.string() }),
]);

/** The event as the mail shows it (a PublicEventDto's fields, as they were when the row was written). */
export const eventSnapshotSchema = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  timezone: z.string(),
  location,
  status: z.enum(['draft', 'published', 'cancelled']),
  version: z.number(),
  updatedAt: z.string(),
});
export type EventSnapshot = z.infer<typeof eventSnapshotSchema>;

export const outboxPayloadSchema = z.object({
  /** The registrant's name, as they typed it (escaped when rendered). */
  name: z.string(),
  event: eventSnapshotSchema,
  /** `/r/<token>`: only on the confirmation and waitlist mails (the token exists only then). */
  manageUrl: z.string().optional(),
  /** The registration's reference (printed under its QR code); absent from rows written before references. */
  reference: z.string().optional(),
  /** 1-based waitlist place, on the waitlist mail. */
  position: z.number().int().positive().optional(),
  /** event_changed: when and where it was before the change. */
  previous: eventSnapshotSchema.pick({ startsAt: true, endsAt: true, timezone: true, location: true }).optional(),
  /** order_*: the order as the receipt shows it. */
  order: z
    .object({
      number: z.number().int(),
      currency: z.string(),
      total: z.number().int(),
      /** `unitAmount`: the price; `unitDiscount`: what a code took off each ticket (absent: nothing). */
      items: z.array(z.object({ name: z.string(), quantity: z.number().int(), unitAmount: z.number().int(), unitDiscount: z.number().int().optional() })),
      /** The discount code the order was placed with. */
      code: z.string().optional(),
      /** order_confirmed: the tickets (registration ids, never printed: their QR codes are signed when the mail is sent) and their references. */
      tickets: z.array(z.object({ id: z.string(), ticketType: z.string(), reference: z.string().optional() })).optional(),
      /** order_refunded, order_event_cancelled: what is given back, and why. */
      refundAmount: z.number().int().optional(),
      refundReason: z.string().optional(),
    })
    .optional(),
});
export type OutboxPayload = z.infer<typeof outboxPayloadSchema>;

export const outboxKindSchema = z.enum(OUTBOX_KINDS);
export const outboxLocaleSchema = z.enum(REGISTRATION_LOCALES);

/** team_invitation: no event; the team, the role, who invited, and the link (`/invite/<token>`, the one place the token is kept until sent). */
export const invitationPayloadSchema = z.object({
  team: z.string(),
  role: z.enum(TEAM_ROLES),
  inviter: z.string(),
  inviteUrl: z.string(),
  expiresAt: z.string(),
});
export type InvitationPayload = z.infer<typeof invitationPayloadSchema>;
