// Who may call what: the one table of permissions (docs/api.md, "Teams, roles
// and door devices"). Every route and method of lib/api-routes.ts declares
// its access here, and the route builder (lib/http/route.ts) enforces it
// before the body is read: no handler checks a role by hand. The browser
// reads the same table to offer only what a role may do (`can`), and the
// permission matrix test (tests/integration/permission-matrix.test.ts)
// derives every expected status from it. Imports nothing server-side.
import type { ApiPath, MethodOf } from '@/lib/api-routes';
import { API_KEY_SCOPES, type ApiKeyScope, type TeamRole, type WebhookEventType } from '@/lib/enums';

export type Permission =
  | 'events:read'
  | 'events:write'
  | 'tickets:read'
  | 'attendees:read'
  | 'attendees:write'
  | 'checkin'
  | 'door'
  | 'devices:manage'
  | 'orders:read'
  | 'orders:refund'
  | 'billing'
  | 'credits:read'
  | 'webhooks:read'
  | 'webhooks:write'
  | 'keys:manage'
  | 'members:read'
  | 'members:manage'
  | 'audit:read'
  | 'payouts:read'
  | 'payouts:manage';

type Rule = {
  /** The roles that have it. */
  roles: readonly TeamRole[];
  /** The scope an API key needs for it; null: no key may (a browser session only, 403 FORBIDDEN_FOR_API_KEY). */
  scope: ApiKeyScope | null;
  /** A door device may use it (on its own event only). */
  device: boolean;
};

const ALL: readonly TeamRole[] = ['owner', 'manager', 'finance', 'door'];

export const PERMISSIONS: Record<Permission, Rule> = {
  'events:read': { roles: ALL, scope: 'events:read', device: false },
  'events:write': { roles: ['owner', 'manager'], scope: 'events:write', device: false },
  /** Ticket types, codes and questions as the organiser sees them. */
  'tickets:read': { roles: ['owner', 'manager', 'finance'], scope: 'events:read', device: false },
  'attendees:read': { roles: ALL, scope: 'orders:read', device: false },
  /** Cancel a registration, erase a guest's answers. */
  'attendees:write': { roles: ['owner', 'manager'], scope: 'events:write', device: false },
  /** Admit one attendee from the attendee list. */
  'checkin': { roles: ['owner', 'manager', 'door'], scope: 'checkin', device: false },
  /** The door scanner: its snapshot and its scans; the one thing a door device may do. */
  'door': { roles: ['owner', 'manager', 'door'], scope: 'checkin', device: true },
  'devices:manage': { roles: ['owner', 'manager'], scope: null, device: false },
  'orders:read': { roles: ['owner', 'manager', 'finance'], scope: 'orders:read', device: false },
  'orders:refund': { roles: ['owner', 'finance'], scope: 'orders:refund', device: false },
  /** Credits: the balance, buying packs. */
  'billing': { roles: ['owner', 'finance'], scope: null, device: false },
  /** The balance and ledger: who buys (billing) and who spends them on events (events:write); not the door. */
  'credits:read': { roles: ['owner', 'manager', 'finance'], scope: 'events:read', device: false },
  'webhooks:read': { roles: ['owner', 'manager', 'finance'], scope: 'webhooks', device: false },
  'webhooks:write': { roles: ['owner', 'manager'], scope: 'webhooks', device: false },
  /** A key that could mint keys would outlive its own revocation: sessions only. */
  'keys:manage': { roles: ['owner', 'manager'], scope: null, device: false },
  'members:read': { roles: ALL, scope: null, device: false },
  'members:manage': { roles: ['owner'], scope: null, device: false },
  'audit:read': { roles: ['owner'], scope: null, device: false },
  'payouts:read': { roles: ['owner', 'finance'], scope: null, device: false },
  'payouts:manage': { roles: ['owner'], scope: null, device: false },
};

/**
 * What a webhook subscription reads: each event's payload carries that data,
 * so subscribing to it needs the permission too (a key with only `webhooks`
 * may not have guests' names and emails sent to its URL).
 */
export const WEBHOOK_EVENT_PERMISSION: Record<WebhookEventType, Permission> = {
  'registration.created': 'attendees:read',
  'registration.cancelled': 'attendees:read',
  'order.paid': 'orders:read',
  'order.refunded': 'orders:read',
  'event.updated': 'events:read',
  'event.cancelled': 'events:read',
  'checkin.admitted': 'attendees:read',
};

/**
 * A route's access:
 * - `public`: anyone; the session is read if there is one (`user` may be null);
 * - `none`: the session is never read (webhooks in, cron, metrics: their own secrets);
 * - `signed-in`: a signed-in user, in no team (their own profile, their teams); an API key is no user: 403 FORBIDDEN_FOR_API_KEY;
 * - `session`: a signed-in browser session, in no team (an API key is 403 FORBIDDEN_FOR_API_KEY);
 * - a permission: a member of the team the route acts in, with a role that has it.
 */
export type Access = 'public' | 'none' | 'signed-in' | 'session' | Permission;

export const ROUTE_ACCESS = {
  '/api/[...path]': { GET: 'public', POST: 'public', PUT: 'public', PATCH: 'public', DELETE: 'public' },
  '/api/auth/sign-in': { POST: 'public' },
  '/api/auth/sign-out': { POST: 'public' },
  '/api/auth/sign-up': { POST: 'public' },
  '/api/billing/checkout': { POST: 'billing' },
  '/api/billing/checkouts/[id]': { GET: 'billing' },
  '/api/billing/checkouts/[id]/test-pay': { POST: 'billing' },
  '/api/billing/packs': { GET: 'public' },
  '/api/credits': { GET: 'credits:read' },
  '/api/cron/idempotency-purge': { POST: 'none' },
  '/api/events': { GET: 'events:read', POST: 'events:write' },
  '/api/events/[id]': { GET: 'events:read', PATCH: 'events:write', DELETE: 'events:write' },
  '/api/events/[id]/cover': { PUT: 'events:write', DELETE: 'events:write' },
  '/api/events/[id]/registrations': { GET: 'attendees:read' },
  '/api/events/[id]/registrations.csv': { GET: 'attendees:read' },
  '/api/events/[id]/registrations/[rid]/cancel': { POST: 'attendees:write' },
  '/api/events/[id]/registrations/[rid]/check-in': { POST: 'checkin' },
  '/api/idempotency/[key]': { GET: 'public' },
  '/api/me': { GET: 'signed-in' },
  '/api/me/settings': { GET: 'signed-in', PATCH: 'session' },
  '/api/metrics': { GET: 'none' },
  '/api/public/events/[slug]': { GET: 'public' },
  '/api/public/events/[slug]/calendar.ics': { GET: 'public' },
  '/api/public/events/[slug]/registrations': { POST: 'public' },
  '/api/public/registrations/[token]': { GET: 'public' },
  '/api/public/registrations/[token]/cancel': { POST: 'public' },
  '/api/webhooks/stripe': { POST: 'none' },
  '/api/webhooks/stripe-connect': { POST: 'none' },
  '/api/api-keys': { GET: 'keys:manage', POST: 'keys:manage' },
  '/api/api-keys/[id]': { DELETE: 'keys:manage' },
  '/api/webhook-endpoints': { GET: 'webhooks:read', POST: 'webhooks:write' },
  '/api/webhook-endpoints/[id]': { DELETE: 'webhooks:write' },
  '/api/webhook-endpoints/[id]/deliveries': { GET: 'webhooks:read' },
  '/api/webhook-endpoints/[id]/deliveries/[did]/retry': { POST: 'webhooks:write' },
  '/api/webhook-endpoints/[id]/test': { POST: 'webhooks:write' },
  '/api/openapi.json': { GET: 'public' },
  '/api/events/[id]/check-in/snapshot': { GET: 'door' },
  '/api/events/[id]/check-in/scans': { POST: 'door' },
  '/api/events/[id]/ticket-types': { GET: 'tickets:read', POST: 'events:write' },
  '/api/events/[id]/ticket-types/[tid]': { PATCH: 'events:write' },
  '/api/events/[id]/orders': { GET: 'orders:read' },
  '/api/events/[id]/orders/[oid]/refund': { POST: 'orders:refund' },
  '/api/events/[id]/orders/[oid]/refunds/[rfid]/retry': { POST: 'orders:refund' },
  '/api/public/events/[slug]/orders': { POST: 'public' },
  '/api/public/orders/[token]': { GET: 'public' },
  '/api/public/orders/[token]/cancel': { POST: 'public' },
  '/api/public/orders/[token]/test-pay': { POST: 'public' },
  '/api/cron/tickets': { POST: 'none' },
  '/api/events/[id]/codes': { GET: 'tickets:read', POST: 'events:write' },
  '/api/events/[id]/codes/[cid]': { PATCH: 'events:write', DELETE: 'events:write' },
  '/api/events/[id]/codes/bulk': { POST: 'events:write' },
  '/api/events/[id]/codes.csv': { GET: 'tickets:read' },
  '/api/events/[id]/questions': { GET: 'tickets:read', POST: 'events:write' },
  '/api/events/[id]/questions/[qid]': { PATCH: 'events:write', DELETE: 'events:write' },
  '/api/events/[id]/questions/order': { PUT: 'events:write' },
  '/api/public/registrations/[token]/answers': { PATCH: 'public' },
  '/api/public/orders/[token]/answers': { PATCH: 'public' },
  '/api/events/[id]/registrations/[rid]/personal-data': { DELETE: 'attendees:write' },
  // Teams, roles and door devices
  '/api/teams': { GET: 'signed-in', POST: 'session' },
  // Door devices
  '/api/events/[id]/door-devices': { GET: 'devices:manage', POST: 'devices:manage' },
  '/api/events/[id]/door-devices/[did]': { DELETE: 'devices:manage' },
  // Teams: members and invitations. Leaving (DELETE …/membership) is any member's own act; removing someone else is an owner's.
  '/api/teams/[tid]/members': { GET: 'members:read' },
  '/api/teams/[tid]/members/[uid]': { PATCH: 'members:manage', DELETE: 'members:manage' },
  '/api/teams/[tid]/membership': { DELETE: 'members:read' },
  '/api/teams/[tid]/invitations': { POST: 'members:manage' },
  '/api/teams/[tid]/invitations/[iid]': { DELETE: 'members:manage' },
  '/api/invitations/[token]/accept': { POST: 'session' },
  // Audit log (branch audit)
  '/api/teams/[tid]/audit': { GET: 'audit:read' },
  // Organiser payouts (Stripe Connect): owner and finance read, the owner manages; browser sessions only.
  '/api/teams/[tid]/payouts': { GET: 'payouts:read' },
  '/api/teams/[tid]/payouts.csv': { GET: 'payouts:read' },
  '/api/teams/[tid]/payouts/account': { POST: 'payouts:manage' },
  '/api/teams/[tid]/payouts/test-onboarding': { POST: 'payouts:manage' },
} as const satisfies { [P in ApiPath]: { [M in MethodOf<P>]: Access } };

/** The access route `P` declares for method `M`. */
export type AccessAt<P extends ApiPath, M extends MethodOf<P>> = M extends keyof (typeof ROUTE_ACCESS)[P] ? (typeof ROUTE_ACCESS)[P][M] & Access : never;

export function isPermission(access: Access): access is Permission {
  return access in PERMISSIONS;
}

/** The access a route's method declares. */
export function accessOf<P extends ApiPath>(path: P, method: MethodOf<P>): Access {
  const byMethod: Partial<Record<string, Access>> = ROUTE_ACCESS[path];
  const access = byMethod[method];
  if (access === undefined) throw new Error(`no access declared for ${method} ${path} (lib/teams/permissions.ts)`);
  return access;
}

/** Whether a member with `role` has `permission`: what the UI offers and the builder allows. */
export function can(role: TeamRole | null | undefined, permission: Permission): boolean {
  return role != null && PERMISSIONS[permission].roles.includes(role);
}

/**
 * The scopes a member with `role` may put on an API key: those whose every
 * permission the role has. A key never does more than its maker may (a
 * manager cannot mint a key that refunds); a member who cannot manage keys
 * may grant none.
 */
export function grantableScopes(role: TeamRole | null | undefined): ApiKeyScope[] {
  if (!can(role, 'keys:manage')) return [];
  const rules = Object.entries(PERMISSIONS) as [Permission, Rule][];
  return API_KEY_SCOPES.filter((scope) => rules.every(([permission, rule]) => rule.scope !== scope || can(role, permission)));
}
