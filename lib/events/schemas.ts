// One zod schema per operation, shared by the forms (lib/events/form.ts) and the
// route handlers. Issue messages are keys under `validation` in lib/i18n/messages:
// the server translates them into the request's locale, the forms into the UI's.
import { z } from '@/lib/zod';
import { EVENT_STATUSES, VISIBILITIES } from '@/lib/enums';

const TITLE_MIN = 3;
const TITLE_MAX = 120;
const DESCRIPTION_MAX = 5000;
const ADDRESS_MAX = 500;
const URL_MAX = 2000;
const PARTICIPANTS_MIN = 1;
const PARTICIPANTS_MAX = 10_000;

function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const titleSchema = z
  .string({ error: 'required' })
  .trim()
  .min(TITLE_MIN, 'titleLength')
  .max(TITLE_MAX, 'titleLength');
export const descriptionSchema = z.string({ error: 'invalid' }).max(DESCRIPTION_MAX, 'descriptionTooLong');
// Postgres and JS dates agree only in a range; outside it a date is refused,
// never a 500 (docs/api.md: dates outside 1970–9999, judged in UTC after the offset).
const EARLIEST_DATE_MS = Date.UTC(1970, 0, 1);
const LATEST_DATE_MS = Date.UTC(10000, 0, 1) - 1;
export function isDateInRange(iso: string): boolean {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms >= EARLIEST_DATE_MS && ms <= LATEST_DATE_MS;
}
const dateTimeSchema = z.iso.datetime({ offset: true, error: 'dateTime' }).refine(isDateInRange, 'dateRange');
export const timezoneSchema = z.string({ error: 'timezone' }).refine(isValidTimeZone, 'timezone');
export const maxParticipantsSchema = z
  .number({ error: 'maxParticipants' })
  .int('maxParticipants')
  .min(PARTICIPANTS_MIN, 'maxParticipants')
  .max(PARTICIPANTS_MAX, 'maxParticipants');
export const visibilitySchema = z.enum(VISIBILITIES, { error: 'visibility' });

export const locationSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('in_person'),
      address: z.string({ error: 'address' }).trim().min(1, 'address').max(ADDRESS_MAX, 'address'),
    }),
    z.object({
      type: z.literal('online'),
      url: z
        .string({ error: 'url' })
        .trim()
        .max(URL_MAX, 'url')
        .pipe(z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: 'url' })),
    }),
  ],
  { error: 'invalid' },
);

export type EventLocation = z.infer<typeof locationSchema>;

type TimeFields = { startsAt?: string; endsAt?: string; status?: string };

/** Rules that tie fields together report on the later field (docs/api.md, Validation). */
function checkEventTimes(value: TimeFields, ctx: z.RefinementCtx, now: Date = new Date()): void {
  const starts = value.startsAt ? Date.parse(value.startsAt) : Number.NaN;
  const ends = value.endsAt ? Date.parse(value.endsAt) : Number.NaN;
  if (!Number.isNaN(starts) && !Number.isNaN(ends) && ends <= starts) {
    ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'endsAfterStarts' });
  }
  if (value.status === 'published' && !Number.isNaN(starts) && starts <= now.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['startsAt'], message: 'startsInFuture' });
  }
}

const eventFields = {
  title: titleSchema,
  description: descriptionSchema.default(''),
  startsAt: dateTimeSchema,
  endsAt: dateTimeSchema,
  timezone: timezoneSchema,
  location: locationSchema,
  maxParticipants: maxParticipantsSchema,
  visibility: visibilitySchema.default('public'),
  waitlist: z.boolean({ error: 'invalid' }).default(true),
};

export const createEventSchema = z
  .strictObject(
    {
      ...eventFields,
      status: z.enum(['draft', 'published'], { error: 'statusOnCreate' }).default('published'),
    },
    { error: 'invalid' },
  )
  .superRefine((value, ctx) => checkEventTimes(value, ctx));

export type CreateEventInput = z.input<typeof createEventSchema>;
export type CreateEventData = z.output<typeof createEventSchema>;

/** An edit takes any subset; rules that need the stored event run in the service. */
export const updateEventSchema = z
  .strictObject(
    {
      title: titleSchema.optional(),
      description: descriptionSchema.optional(),
      startsAt: dateTimeSchema.optional(),
      endsAt: dateTimeSchema.optional(),
      timezone: timezoneSchema.optional(),
      location: locationSchema.optional(),
      maxParticipants: maxParticipantsSchema.optional(),
      visibility: visibilitySchema.optional(),
      waitlist: z.boolean({ error: 'invalid' }).optional(),
      status: z.enum(EVENT_STATUSES, { error: 'status' }).optional(),
    },
    { error: 'invalid' },
  )
  .refine((value) => Object.keys(value).length > 0, { message: 'emptyPatch' });

export type UpdateEventInput = z.input<typeof updateEventSchema>;
export type UpdateEventData = z.output<typeof updateEventSchema>;

export const listEventsQuerySchema = z.object({
  limit: z.coerce.number({ error: 'invalid' }).int('invalid').min(1, 'invalid').max(200, 'invalid').default(50),
  cursor: z.string().max(200, 'invalid').optional(),
});

/**
 * What the public is told of the seats left (never "12 of 25 taken"):
 * `soldOut` at none, `few` with the count when at most FEW_SEATS are left or
 * at most a tenth of the capacity (so 100 of 1000 is "only 100 left"), and
 * nothing otherwise. `left` counts live holds (event-row.ts, `seatsLeft`).
 */
export const FEW_SEATS = 10;
export type SeatsNotice = { kind: 'soldOut' } | { kind: 'few'; left: number } | null;

export function seatsNotice(left: number, capacity: number): SeatsNotice {
  if (left <= 0) return { kind: 'soldOut' };
  if (left <= Math.max(FEW_SEATS, Math.floor(capacity / 10))) return { kind: 'few', left };
  return null;
}

/**
 * What the public page says is left: the event's seats left (`seats.available`,
 * live holds counted), and for an event that sells tickets no more than its
 * types on sale still offer together, so the page and the ticket list agree.
 */
export function seatsLeftOf(eventLeft: number, typesOnSale?: readonly number[]): number {
  if (!typesOnSale || typesOnSale.length === 0) return eventLeft;
  return Math.min(eventLeft, typesOnSale.reduce((sum, left) => sum + left, 0));
}

/** Seats of an event: confirmed registrations against capacity, and the waitlist's length. */
export type Seats = { capacity: number; confirmed: number; waitlisted: number; available: number };

/** The event as the API returns it. */
export type EventDto = {
  id: string;
  /** URL-safe, unique, never changes: the public page is /e/<slug>. */
  slug: string;
  /** The team the event belongs to; `ownerId` is the same id, under its name from before teams. */
  teamId: string;
  ownerId: string;
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  location: EventLocation;
  maxParticipants: number;
  visibility: (typeof VISIBILITIES)[number];
  status: (typeof EVENT_STATUSES)[number];
  waitlist: boolean;
  seats: Seats;
  /** The cover image (docs/api.md, "Covers"): WebP, at most 1600 px wide; null without one. */
  coverUrl: string | null;
  /** Its size in pixels, for `<img width height>`; null without a cover. */
  coverSize: { width: number; height: number } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
};

/** An event as anyone may see it: no owner, no attendee data. */
export type PublicEventDto = Omit<EventDto, 'teamId' | 'ownerId'>;

export type CreditOutcome = { charged: boolean; balance: number };

/** The answer of an event write (create, update, status change): the event, and what it cost. */
export type EventWrite = { event: EventDto; credit: CreditOutcome };
