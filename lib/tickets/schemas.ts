// Ticketing's schemas, one per operation, shared by the forms and the route
// handlers (issue messages are keys under `validation`), and the shapes the
// API answers with. Browser-safe: no database, no server code.
import { z } from '@/lib/zod';
import { REGISTRATION_LOCALES, type OrderCancelReason, type OrderStatus, type RefundStatus } from '@/lib/enums';
import { isDateInRange } from '@/lib/events/schemas';
import { registerSchema } from '@/lib/registrations/schemas';
import { answersInputSchema, holderInputSchema, type AnswerDto } from '@/lib/questions/schemas';

/** At most this many tickets in one order (docs/api.md). */
export const MAX_TICKETS_PER_ORDER = 10;

export type Money = { amount: number; currency: string };

const moneySchema = z.strictObject(
  {
    amount: z.number({ error: 'price' }).int('price').min(0, 'price').max(100_000_000, 'price'),
    currency: z
      .string({ error: 'currency' })
      .trim()
      .toLowerCase()
      .regex(/^[a-z]{3}$/, 'currency'),
  },
  { error: 'price' },
);

const ticketTypeFields = {
  name: z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'nameTooLong'),
  price: moneySchema,
  quantity: z.number({ error: 'quantity' }).int('quantity').min(1, 'quantity').max(10_000, 'quantity').nullable().optional(),
  salesEndAt: z.iso.datetime({ offset: true, error: 'dateTime' }).refine(isDateInRange, 'dateRange').nullable().optional(),
  /** Off the public page: sold only with a code that unlocks it. */
  hidden: z.boolean({ error: 'invalid' }).optional(),
};

export const createTicketTypeSchema = z.strictObject(ticketTypeFields, { error: 'invalid' });
export type CreateTicketTypeInput = z.input<typeof createTicketTypeSchema>;
export type CreateTicketTypeData = z.output<typeof createTicketTypeSchema>;

export const updateTicketTypeSchema = z
  .strictObject(
    {
      name: ticketTypeFields.name.optional(),
      price: moneySchema.optional(),
      quantity: ticketTypeFields.quantity,
      salesEndAt: ticketTypeFields.salesEndAt,
      hidden: ticketTypeFields.hidden,
    },
    { error: 'invalid' },
  )
  .refine((patch) => Object.keys(patch).length > 0, 'emptyPatch');
export type UpdateTicketTypeData = z.output<typeof updateTicketTypeSchema>;

export const placeOrderSchema = z.strictObject(
  {
    name: registerSchema.shape.name,
    email: registerSchema.shape.email,
    locale: z.enum(REGISTRATION_LOCALES, { error: 'invalid' }).optional(),
    items: z
      .array(
        z.strictObject(
          {
            ticketTypeId: z.uuid({ error: 'invalid' }),
            quantity: z.number({ error: 'ticketQuantity' }).int('ticketQuantity').min(1, 'ticketQuantity').max(MAX_TICKETS_PER_ORDER, 'ticketQuantity'),
            /** One per ticket: its holder's name and the questions asked per ticket (docs/api.md, "Questions"). */
            holders: z.array(holderInputSchema, { error: 'holders' }).max(MAX_TICKETS_PER_ORDER, 'holders').optional(),
          },
          { error: 'invalid' },
        ),
        { error: 'ticketItems' },
      )
      .min(1, 'ticketItems')
      .refine((items) => items.reduce((n, item) => n + item.quantity, 0) <= MAX_TICKETS_PER_ORDER, 'ticketItems')
      .refine((items) => new Set(items.map((item) => item.ticketTypeId)).size === items.length, 'ticketItems'),
    /** A discount or access code (any case); lib/tickets/codes.ts checks it under the event's lock. */
    code: z.string({ error: 'codeUnknown' }).trim().min(1, 'codeUnknown').max(64, 'codeUnknown').optional(),
    /** The questions asked once per order: `{ <questionId>: value }`. */
    answers: answersInputSchema.optional(),
  },
  { error: 'invalid' },
);
export type PlaceOrderInput = z.input<typeof placeOrderSchema>;
export type PlaceOrderData = z.output<typeof placeOrderSchema>;

export const refundSchema = z.strictObject(
  { amount: z.number({ error: 'refundAmount' }).int('refundAmount').min(1, 'refundAmount').optional() },
  { error: 'invalid' },
);
export type RefundInput = z.input<typeof refundSchema>;

export const testPaySchema = z.strictObject({ outcome: z.enum(['paid', 'expired'], { error: 'invalid' }) }, { error: 'invalid' });

export const listOrdersQuerySchema = z.strictObject(
  {
    status: z.enum(['pending_payment', 'confirmed', 'expired', 'cancelled', 'refunded'], { error: 'invalid' }).optional(),
    cursor: z.string({ error: 'invalid' }).max(200, 'invalid').optional(),
  },
  { error: 'invalid' },
);
export type ListOrdersQuery = z.output<typeof listOrdersQuerySchema>;

// ---- answers ---------------------------------------------------------------

/** A ticket type as its organiser sees it. */
export type TicketTypeDto = {
  id: string;
  name: string;
  price: Money;
  quantity: number | null;
  sold: number;
  held: number;
  /** What can still be ordered now: of the type's quantity and of the event's capacity. */
  available: number;
  salesEndAt: string | null;
  /** Kept off the public page: shown only with a code that unlocks it. */
  hidden: boolean;
};

/** A ticket type as the public page shows it; `discountedPrice`: each ticket's price with the code applied (null without a discount). */
export type PublicTicketTypeDto = { id: string; name: string; price: Money; discountedPrice: Money | null; available: number; onSale: boolean };

/** `unitPrice`: the type's price when ordered; `discount`: what the code took off the item; `amount`: what the item is charged. */
export type OrderItemDto = { ticketTypeId: string; name: string; quantity: number; unitPrice: Money; discount: Money; amount: Money };

export type OrderDto = {
  id: string;
  number: number;
  status: OrderStatus;
  total: Money;
  /** What has been (or is being) given back, in minor units. */
  refunded: number;
  /** Of `refunded`, what the provider has not confirmed yet: the tickets stay valid until it does (docs/api.md, refunds). */
  refundPending: number;
  /** What the provider failed to give back (nothing of it reached the guest); the organiser may retry it. */
  refundFailed: number;
  holdExpiresAt: string;
  items: OrderItemDto[];
  /** The discount or access code it was placed with, or null. */
  code: string | null;
  createdAt: string;
  /** Why a cancelled order was cancelled (docs/api.md, Orders); null otherwise, and for some orders cancelled before reasons were kept. */
  cancelReason: OrderCancelReason | null;
};

export type TicketDto = {
  id: string;
  ticketTypeId: string;
  ticketType: string;
  holder: string;
  status: 'confirmed' | 'waitlisted' | 'cancelled';
  /** When it was admitted at the door (its earliest scan), else null. */
  checkedInAt: string | null;
  /** Printed under its QR code and typed at the door (docs/api.md, "Door check-in"). */
  reference: string;
  /** Its holder's answers as given (the organiser's order list). */
  answers?: AnswerDto[];
};

/** A ticket as its guest sees it on /o/<token>: with its signed code (the QR code's content) while it is confirmed, else null. */
export type GuestTicketDto = TicketDto & { code: string | null };

export type PaymentDto = { id: string; amount: Money; provider: string; createdAt: string };
/** `ticketId`: the ticket this refund gives back (an organiser cancelling one ticket), else null. */
/** `fee`: the part of the platform's fee it gives back (0 without one). */
export type RefundDto = { id: string; amount: number; fee: number; status: RefundStatus; reason: string; ticketId: string | null; createdAt: string };

/** The organiser's view of an order. */
export type OrganiserOrderDto = OrderDto & {
  /** The platform's fee on it (minor units), frozen when it was placed: 0 unless it sold through the team's connected account. */
  fee: number;
  email: string;
  name: string;
  tickets: TicketDto[];
  payments: PaymentDto[];
  refunds: RefundDto[];
  /** The answers asked once per order, as given (the organiser's order list). */
  answers?: AnswerDto[];
};

export type OrderList = {
  orders: OrganiserOrderDto[];
  nextCursor: string | null;
  /** `discounts`: what codes took off the orders that were paid or confirmed free. */
  totals: { paid: number; refunded: number; net: number; discounts: number; currency: string | null };
};

export type OrderPlaced = { order: OrderDto; paymentUrl: string | null; manageUrl: string };

/** One day of sales in the event's time zone: tickets of paid orders issued that day, money received minus refunds returned that day. */
export type SalesDay = { date: string; tickets: number; amount: number };

/**
 * The organiser's numbers for one event (docs/api.md, "The organiser's numbers"):
 * tickets of orders still confirmed, revenue net of succeeded refunds (null
 * when the event sells nothing), tickets and free registrations admitted.
 */
export type EventStats = { ticketsSold: number; revenue: Money | null; checkedIn: number; salesByDay: SalesDay[] };

/** What the events list adds to each event. */
export type EventSales = { ticketsSold: number; revenue: Money | null };
