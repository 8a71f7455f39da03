// The registration form's schema, shared by the public page's form and the
// route handler (issue messages are keys under `validation` in lib/i18n/messages),
// and the shapes the public API answers with.
import { z } from '@/lib/zod';
import { REGISTRATION_LOCALES, type RegistrationStatus } from '@/lib/enums';
import { answersInputSchema, type AnswerDto } from '@/lib/questions/schemas';

export const NAME_MAX = 100;
export const EMAIL_MAX = 254;

export const registerSchema = z.strictObject(
  {
    name: z.string({ error: 'required' }).trim().min(1, 'required').max(NAME_MAX, 'nameTooLong'),
    email: z
      .string({ error: 'email' })
      .trim()
      .max(EMAIL_MAX, 'email')
      .pipe(z.email({ error: 'email' })),
    locale: z.enum(REGISTRATION_LOCALES, { error: 'invalid' }).optional(),
    /** The event's questions answered: `{ <questionId>: value }` (docs/api.md, "Questions"). */
    answers: answersInputSchema.optional(),
  },
  { error: 'invalid' },
);

export type RegisterInput = z.input<typeof registerSchema>;
export type RegisterData = z.output<typeof registerSchema>;

/** A registration as its registrant sees it; `position` is the 1-based place in the waitlist, else null. */
export type RegistrationDto = {
  id: string;
  status: RegistrationStatus;
  position: number | null;
  name: string;
  email: string;
  createdAt: string;
  /** What is printed under the ticket's QR code and typed at the door (docs/api.md, "Door check-in"). */
  reference: string;
};

/** The organiser's view of a registration: the public one plus check-in and cancellation times. */
/**
 * A ticket's order, for the organiser's list: which order and type, its price,
 * and whether the order was paid (cancelling a paid ticket refunds its price).
 */
export type AttendeeTicketDto = { orderId: string; orderNumber: number; ticketType: string; price: { amount: number; currency: string }; paid: boolean };

export type OrganiserRegistrationDto = RegistrationDto & {
  checkedInAt: string | null;
  cancelledAt: string | null;
  ticket: AttendeeTicketDto | null;
  /** The answers given (a ticket's own and its order's), with the label and text they were given under. */
  answers: AnswerDto[];
};

/** A page of GET /api/events/:id/registrations. */
export type RegistrationList = {
  registrations: OrganiserRegistrationDto[];
  nextCursor: string | null;
  counts: { confirmed: number; waitlisted: number; cancelled: number };
};

/** The answer to a registration (201). */
export type RegistrationCreated = { registration: RegistrationDto; manageUrl: string };
