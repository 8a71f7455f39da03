// What each route of lib/api-routes.ts answers in its success envelope's
// `data` (docs/api.md), keyed by its label (`POST /api/events`). The browser
// calls the API through `apiCall` (api-client.ts), which reads the answer's
// type from here: a component never names the type of an answer itself, so a
// route that is not served, or an answer read as the wrong shape, does not
// compile. Types only; the shapes come from the browser-safe schema files the
// server shapes its answers with.
import type { InvitationDto, MemberDto, MembersDto, TeamDto } from '@/lib/teams/schemas';
import type { TeamRole } from '@/lib/enums';
import type { AuditPage } from '@/lib/audit/schemas';
import type { ApiPath, MethodOf } from '@/lib/api-routes';
import type { ApiKeyDto } from '@/lib/auth/schemas';
import type { SettingsDto } from '@/lib/auth/schemas';
import type { AuthUser } from '@/lib/auth/types';
import type { Entitlements } from '@/lib/billing/plans';
import type { CheckinSnapshot, DoorDeviceDto, DoorDeviceSecret, ScanAnswer } from '@/lib/checkin/schemas';
import type { CheckoutStatus, IdempotencyStatus, Plan } from '@/lib/enums';
import type { EventDto, EventWrite, PublicEventDto, Seats } from '@/lib/events/schemas';
import type { AnswerDto, PublicQuestionDto, QuestionDto } from '@/lib/questions/schemas';
import type { OrganiserRegistrationDto, RegistrationCreated, RegistrationDto, RegistrationList } from '@/lib/registrations/schemas';
import type {
  EventSales,
  EventStats,
  GuestTicketDto,
  OrderDto,
  OrderList,
  OrderPlaced,
  PublicTicketTypeDto,
  RefundDto,
  TicketTypeDto,
} from '@/lib/tickets/schemas';
import type { CodeDto, PublicCodeState } from '@/lib/tickets/code-schemas';
import type { WebhookDeliveryDto, WebhookEndpointDto } from '@/lib/webhooks/schemas';
import type { AccountDto, AccountOpened, PayoutsView } from '@/lib/payouts/schemas';

/** `POST /api/events`: a served route's label, as the idempotency scope spells it. */
export type RouteLabel = { [P in ApiPath]: `${MethodOf<P>} ${P}` }[ApiPath];

/** Routes whose answer is not the JSON envelope (a file, metrics text, the OpenAPI document): links, never `apiCall`. */
export type RawRoute =
  | 'GET /api/events/[id]/registrations.csv'
  | 'GET /api/events/[id]/codes.csv'
  | 'GET /api/teams/[tid]/payouts.csv'
  | 'GET /api/public/events/[slug]/calendar.ics'
  | 'GET /api/metrics'
  | 'GET /api/openapi.json';

type Checkout = { id: string; packId: string; credits: number; status: CheckoutStatus };
type Price = { amount: number; currency: string };
type LedgerEntry = { id: number; delta: number; reason: string; eventId: string | null; checkoutId: string | null; createdAt: string };
type AttemptRecord = {
  status: IdempotencyStatus;
  responseStatus: number | null;
  resource: { type: string; id: string } | null;
  expiresAt: string;
};
/** The secret of a credential made by the request: in the first answer only, never in a replay. */
type OnceSecret = { secret?: string };

/** `null`: a 204, no body. */
export type ApiResponses = {
  'POST /api/auth/sign-in': { user: AuthUser };
  'POST /api/auth/sign-out': null;
  'POST /api/auth/sign-up': { user: AuthUser };
  'GET /api/me': { user: AuthUser; plan: Plan; credits: { balance: number }; entitlements: Entitlements };
  'GET /api/me/settings': { settings: SettingsDto };
  'PATCH /api/me/settings': { settings: SettingsDto };
  'POST /api/billing/checkout': { checkout: { id: string; url: string; status: 'open' } };
  'GET /api/billing/checkouts/[id]': { checkout: Checkout };
  'POST /api/billing/checkouts/[id]/test-pay': { checkout: Checkout };
  'GET /api/billing/packs': { packs: { id: string; credits: number; price: Price }[] };
  'GET /api/credits': { balance: number; ledger: LedgerEntry[] };
  'POST /api/cron/idempotency-purge': { removed: number };
  'POST /api/cron/tickets': { expired: number; refunds: number };
  /** Tickets sold and revenue only for callers who may see ticket data (not the door role). */
  'GET /api/events': { events: (EventDto & Partial<EventSales>)[]; nextCursor: string | null };
  'POST /api/events': EventWrite;
  /** `stats` only for callers who may see ticket data (not the door role). */
  'GET /api/events/[id]': { event: EventDto; stats?: EventStats };
  'PATCH /api/events/[id]': EventWrite;
  'DELETE /api/events/[id]': null;
  'PUT /api/events/[id]/cover': { event: EventDto };
  'DELETE /api/events/[id]/cover': { event: EventDto };
  'GET /api/events/[id]/registrations': RegistrationList;
  'POST /api/events/[id]/registrations/[rid]/cancel': { registration: RegistrationDto; refund: RefundDto | null };
  'POST /api/events/[id]/registrations/[rid]/check-in': { registration: RegistrationDto & { checkedInAt: string | null } };
  'GET /api/events/[id]/check-in/snapshot': CheckinSnapshot;
  'POST /api/events/[id]/check-in/scans': { results: ScanAnswer[] };
  'GET /api/events/[id]/ticket-types': { ticketTypes: TicketTypeDto[] };
  'POST /api/events/[id]/ticket-types': { ticketType: TicketTypeDto };
  'PATCH /api/events/[id]/ticket-types/[tid]': { ticketType: TicketTypeDto };
  'GET /api/events/[id]/orders': OrderList;
  'POST /api/events/[id]/orders/[oid]/refund': { refund: RefundDto };
  'POST /api/events/[id]/orders/[oid]/refunds/[rfid]/retry': { refund: RefundDto };
  'GET /api/idempotency/[key]': { record: AttemptRecord };
  'GET /api/public/events/[slug]': {
    event: PublicEventDto & { seats: Seats & { held: number } };
    seats: Seats & { held: number };
    ticketTypes: PublicTicketTypeDto[];
    questions: PublicQuestionDto[];
    /** With `?code=`: what the code does, or why it cannot be used. */
    code?: PublicCodeState;
  };
  'POST /api/public/events/[slug]/registrations': RegistrationCreated;
  'POST /api/public/events/[slug]/orders': OrderPlaced;
  'GET /api/public/registrations/[token]': { registration: RegistrationDto & { code: string | null }; event: PublicEventDto };
  'POST /api/public/registrations/[token]/cancel': { registration: RegistrationDto };
  'GET /api/public/orders/[token]': { order: OrderDto; event: PublicEventDto; tickets: GuestTicketDto[]; paymentUrl: string | null };
  'POST /api/public/orders/[token]/cancel': { order: OrderDto };
  'POST /api/public/orders/[token]/test-pay': { status: string; outcome: string };
  'POST /api/webhooks/stripe': { received: true };
  'POST /api/webhooks/stripe-connect': { received: true };
  'GET /api/teams/[tid]/payouts': PayoutsView;
  'POST /api/teams/[tid]/payouts/account': AccountOpened;
  'POST /api/teams/[tid]/payouts/test-onboarding': { account: AccountDto };
  'GET /api/api-keys': { apiKeys: ApiKeyDto[] };
  'POST /api/api-keys': { apiKey: ApiKeyDto } & OnceSecret;
  'DELETE /api/api-keys/[id]': null;
  'GET /api/webhook-endpoints': { endpoints: WebhookEndpointDto[] };
  'POST /api/webhook-endpoints': { endpoint: WebhookEndpointDto } & OnceSecret;
  'DELETE /api/webhook-endpoints/[id]': null;
  'GET /api/webhook-endpoints/[id]/deliveries': { deliveries: WebhookDeliveryDto[] };
  'POST /api/webhook-endpoints/[id]/deliveries/[did]/retry': { delivery: WebhookDeliveryDto };
  'POST /api/webhook-endpoints/[id]/test': { delivery: WebhookDeliveryDto };
  'GET /api/events/[id]/questions': { questions: QuestionDto[] };
  'POST /api/events/[id]/questions': { question: QuestionDto };
  'PATCH /api/events/[id]/questions/[qid]': { question: QuestionDto };
  'DELETE /api/events/[id]/questions/[qid]': null;
  'PUT /api/events/[id]/questions/order': { questions: QuestionDto[] };
  'PATCH /api/public/registrations/[token]/answers': { registration: RegistrationDto; answers: AnswerDto[] };
  'PATCH /api/public/orders/[token]/answers': { answers: AnswerDto[]; holders: Record<string, AnswerDto[]> };
  'DELETE /api/events/[id]/registrations/[rid]/personal-data': { registration: OrganiserRegistrationDto };
  'GET /api/events/[id]/codes': { codes: CodeDto[] };
  'POST /api/events/[id]/codes': { code: CodeDto };
  'PATCH /api/events/[id]/codes/[cid]': { code: CodeDto };
  'DELETE /api/events/[id]/codes/[cid]': null;
  'POST /api/events/[id]/codes/bulk': { codes: CodeDto[] };
  'GET /api/teams': { teams: TeamDto[] };
  'POST /api/teams': { team: TeamDto };
  // Door devices
  'GET /api/events/[id]/door-devices': { devices: DoorDeviceDto[] };
  'POST /api/events/[id]/door-devices': { device: DoorDeviceDto } & DoorDeviceSecret;
  'DELETE /api/events/[id]/door-devices/[did]': null;
  // Teams: members and invitations
  'GET /api/teams/[tid]/members': MembersDto;
  'PATCH /api/teams/[tid]/members/[uid]': { member: MemberDto };
  'DELETE /api/teams/[tid]/members/[uid]': null;
  'DELETE /api/teams/[tid]/membership': null;
  'POST /api/teams/[tid]/invitations': { invitation: InvitationDto };
  'DELETE /api/teams/[tid]/invitations/[iid]': null;
  'POST /api/invitations/[token]/accept': { team: TeamDto; role: TeamRole };
  // Audit log (branch audit)
  'GET /api/teams/[tid]/audit': AuditPage;
};

/** A route answered with the envelope: every served route but the raw ones and the catch-all. */
export type JsonRoute = Exclude<RouteLabel, RawRoute | `${string} /api/[...path]`>;

/** The `data` of the route `M P`'s success. */
export type ResponseOf<M extends string, P extends string> = `${M} ${P}` extends keyof ApiResponses ? ApiResponses[`${M} ${P}`] : never;

// The map holds exactly the JSON routes: a route added to the table without its answer here, or an entry for a route not served, fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const everyJsonRoute: Same<keyof ApiResponses, JsonRoute> = true;
void everyJsonRoute;
