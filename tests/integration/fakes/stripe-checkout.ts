// A small stand-in for Stripe's Checkout Sessions endpoint on 127.0.0.1,
// because api.stripe.com cannot be reached here. The official SDK talks to it
// through STRIPE_API_BASE (host, port, protocol): it answers
// `POST /v1/checkout/sessions` with the form-encoded parameters the SDK sends,
// in Stripe's shapes, replays an Idempotency-Key's first answer the way Stripe
// does (and refuses the key with other parameters), refuses a session whose
// `expires_at` is not 30 minutes to 24 hours ahead, serves refunds
// (`POST /v1/refunds`, `GET /v1/refunds/:id`, optionally pending for a while
// before they settle), and checks the secret key in `Authorization: Bearer`.
// Stripe Connect too: Express accounts (`POST /v1/accounts`, replayed by
// Idempotency-Key) and Account Links; a session's destination charge
// (`payment_intent_data[transfer_data][destination]`, `[application_fee_amount]`)
// is refused as Stripe refuses it (a fee above the amount, a fee without a
// connected account, an account that cannot take charges); a session paid
// through `pay()` becomes a PaymentIntent whose refunds check `reverse_transfer`
// and `refund_application_fee` and refund the fee in proportion (the stand-in's
// own model of Stripe's ledger: ⌊fee × amount ÷ charge⌋, the last refund takes
// what is left), so a test can hold our totals equal to these records.
import Stripe from 'stripe';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { vi } from 'vitest';

export type FakeSession = {
  id: string;
  object: 'checkout.session';
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  client_reference_id: string | null;
  amount_total: number;
  currency: string;
  url: string;
  success_url: string;
  cancel_url: string;
  metadata: Record<string, string>;
  expires_at?: number | null;
  /** A destination charge's connected account and the platform's fee (payment_intent_data). */
  transfer_destination: string | null;
  application_fee_amount: number | null;
  payment_intent: string | null;
};

export type FakeAccount = {
  id: string;
  object: 'account';
  type: string;
  charges_enabled: boolean;
  payouts_enabled: boolean;
  details_submitted: boolean;
  requirements: { currently_due: string[] };
  metadata: Record<string, string>;
  created: number;
};

/** A paid session's PaymentIntent, as the platform's balance sees it. */
export type FakePayment = {
  id: string;
  amount: number;
  currency: string;
  destination: string | null;
  applicationFee: number;
  refunded: number;
  feeRefunded: number;
};

export type FakeRefund = {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  status: 'succeeded' | 'pending' | 'failed';
  metadata: Record<string, string>;
  created: number;
  /** What the request asked for, as sent (null: not sent). */
  reverse_transfer: boolean | null;
  refund_application_fee: boolean | null;
  /** The part of the application fee this refund gave back (Stripe: an application fee refund). */
  application_fee_refunded: number;
};

export type RecordedCall = { path: string; idempotencyKey: string | null; form: URLSearchParams };

export class FakeStripeCheckout {
  readonly calls: RecordedCall[] = [];
  readonly sessions = new Map<string, FakeSession>();
  /** Answer the next N session creations with a 500 api_error. */
  failNext = 0;
  /** Refunds made, by id; `refundStatus` is what a new one answers. */
  readonly refunds = new Map<string, FakeRefund>();
  refundStatus: FakeRefund['status'] = 'succeeded';
  /** With refundStatus `pending`: how long a new refund stays pending before it becomes `refundSettlesAs` (null: until a test settles it). */
  refundPendingForMs: number | null = null;
  refundSettlesAs: 'succeeded' | 'failed' = 'succeeded';
  /** Connected accounts, by id. */
  readonly accounts = new Map<string, FakeAccount>();
  private readonly accountsByKey = new Map<string, FakeAccount>();
  /** Paid sessions' PaymentIntents, by id. */
  readonly payments = new Map<string, FakePayment>();
  /** Stripe's clock, as far as refunds settling is concerned (a test moves it on instead of waiting). */
  now = () => Date.now();
  private readonly refundsByKey = new Map<string, FakeRefund>();
  private readonly pendingUntil = new Map<string, number>();
  private readonly formByKey = new Map<string, string>();
  private readonly byKey = new Map<string, FakeSession>();
  private server: Server | undefined;
  private counter = 0;
  private readonly tag = randomUUID().slice(0, 8);
  private url = '';

  constructor(readonly secretKey: string) {}

  get baseUrl(): string {
    return this.url;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => send(res, 500, apiError(String(error))));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('fake Stripe has no port');
    this.url = `http://127.0.0.1:${address.port}`;
  }

  /**
   * Starts the stand-in and points this process's Stripe settings at it: its
   * key and address, the webhook secret the test signs with, and `more`
   * (Connect's). Through vi.stubEnv: `vi.unstubAllEnvs()` in afterAll undoes them.
   */
  async serveAsStripe(webhookSecret: string, more: Record<string, string> = {}): Promise<void> {
    await this.start();
    const env = { STRIPE_SECRET_KEY: this.secretKey, STRIPE_API_BASE: this.url, STRIPE_WEBHOOK_SECRET: webhookSecret, ...more };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.from(chunk));
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const idempotencyKey = header(req, 'idempotency-key');
    this.calls.push({ path, idempotencyKey, form });

    if (header(req, 'authorization') !== `Bearer ${this.secretKey}`) {
      return send(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    }
    if (idempotencyKey && req.method === 'POST') {
      // Stripe: "Keys for idempotent requests can only be used with the same parameters they were first used with."
      const first = this.formByKey.get(`${path} ${idempotencyKey}`);
      const now = sortedForm(form);
      if (first !== undefined && first !== now) {
        return send(res, 400, { error: { type: 'idempotency_error', message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.` } });
      }
      this.formByKey.set(`${path} ${idempotencyKey}`, now);
    }
    if (req.method === 'POST' && path === '/v1/refunds') return this.refund(form, idempotencyKey, res);
    if (req.method === 'POST' && path === '/v1/accounts') return this.createAccount(form, idempotencyKey, res);
    if (req.method === 'POST' && path === '/v1/account_links') return this.accountLink(form, res);
    const readRefund = req.method === 'GET' ? /^\/v1\/refunds\/([A-Za-z0-9_]+)$/.exec(path) : null;
    if (readRefund?.[1]) {
      const found = this.refunds.get(readRefund[1]);
      if (!found) return send(res, 404, { error: { type: 'invalid_request_error', message: `No such refund: '${readRefund[1]}'`, code: 'resource_missing' } });
      return send(res, 200, this.current(found));
    }
    if (req.method !== 'POST' || path !== '/v1/checkout/sessions') {
      return send(res, 404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path})` } });
    }
    if (idempotencyKey) {
      const earlier = this.byKey.get(idempotencyKey);
      if (earlier) return send(res, 200, earlier, { 'Idempotent-Replayed': 'true' });
    }
    if (this.failNext > 0) {
      this.failNext -= 1;
      return send(res, 500, apiError('fake failure'));
    }
    const required = ['mode', 'success_url', 'cancel_url', 'line_items[0][price_data][currency]', 'line_items[0][price_data][unit_amount]'];
    const missing = required.find((name) => !form.get(name));
    if (missing) return send(res, 400, { error: { type: 'invalid_request_error', message: `Missing required param: ${missing}.`, param: missing } });
    const destination = form.get('payment_intent_data[transfer_data][destination]');
    const fee = form.has('payment_intent_data[application_fee_amount]') ? Number(form.get('payment_intent_data[application_fee_amount]')) : null;
    if (destination !== null) {
      const account = this.accounts.get(destination);
      if (!account) return send(res, 400, { error: { type: 'invalid_request_error', code: 'resource_missing', param: 'payment_intent_data[transfer_data][destination]', message: `No such destination: '${destination}'` } });
      if (!account.charges_enabled) {
        return send(res, 400, { error: { type: 'invalid_request_error', param: 'payment_intent_data[transfer_data][destination]', message: 'Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments' } });
      }
    }
    if (fee !== null && destination === null) {
      return send(res, 400, { error: { type: 'invalid_request_error', param: 'payment_intent_data[application_fee_amount]', message: 'Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).' } });
    }
    if (form.has('expires_at')) {
      // Stripe: the session must expire 30 minutes to 24 hours after its creation.
      const ahead = Number(form.get('expires_at')) - Math.floor(Date.now() / 1000);
      if (!(ahead >= 30 * 60 && ahead <= 24 * 60 * 60)) {
        return send(res, 400, {
          error: { type: 'invalid_request_error', param: 'expires_at', message: 'The `expires_at` timestamp must be less than 24 hours and at least 30 minutes from Checkout Session creation.' },
        });
      }
    }

    let amountSoFar = 0;
    for (let i = 0; form.has(`line_items[${i}][price_data][unit_amount]`); i += 1) {
      amountSoFar += Number(form.get(`line_items[${i}][price_data][unit_amount]`)) * Number(form.get(`line_items[${i}][quantity]`) ?? '1');
    }
    if (fee !== null && (!Number.isInteger(fee) || fee < 0 || fee > amountSoFar)) {
      return send(res, 400, { error: { type: 'invalid_request_error', param: 'payment_intent_data[application_fee_amount]', message: 'The application fee amount must be a non-negative integer no greater than the amount of the charge.' } });
    }

    this.counter += 1;
    // Unique across stand-ins: test files sharing one database each run their own (order sessions are unique in it).
    const id = `cs_test_fake${String(this.counter).padStart(6, '0')}_${this.tag}`;
    // Every line item counts (a ticket order has one per type).
    let amountTotal = 0;
    for (let i = 0; form.has(`line_items[${i}][price_data][unit_amount]`); i += 1) {
      amountTotal += Number(form.get(`line_items[${i}][price_data][unit_amount]`)) * Number(form.get(`line_items[${i}][quantity]`) ?? '1');
    }
    const session: FakeSession = {
      id,
      object: 'checkout.session',
      mode: form.get('mode') ?? '',
      status: 'open',
      payment_status: 'unpaid',
      client_reference_id: form.get('client_reference_id'),
      amount_total: amountTotal,
      expires_at: form.has('expires_at') ? Number(form.get('expires_at')) : null,
      currency: form.get('line_items[0][price_data][currency]') ?? '',
      url: `https://checkout.stripe.com/c/pay/${id}`,
      success_url: form.get('success_url') ?? '',
      cancel_url: form.get('cancel_url') ?? '',
      metadata: Object.fromEntries([...form.entries()].filter(([k]) => k.startsWith('metadata[')).map(([k, v]) => [k.slice(9, -1), v])),
      transfer_destination: destination,
      application_fee_amount: fee,
      payment_intent: null,
    };
    this.sessions.set(id, session);
    if (idempotencyKey) this.byKey.set(idempotencyKey, session);
    send(res, 200, session);
  }

  /** A refund as Stripe shows it now: a pending one settles once its time is up. */
  current(refund: FakeRefund): FakeRefund {
    const until = this.pendingUntil.get(refund.id);
    if (refund.status === 'pending' && until !== undefined && this.now() >= until) {
      refund.status = this.refundSettlesAs;
      this.pendingUntil.delete(refund.id);
    }
    return refund;
  }

  /** Settles a refund as Stripe would, later (a test's hand). */
  settle(id: string, status: 'succeeded' | 'failed'): FakeRefund {
    const refund = this.refunds.get(id);
    if (!refund) throw new Error(`no refund ${id}`);
    refund.status = status;
    this.pendingUntil.delete(id);
    return refund;
  }

  /** `POST /v1/refunds`: replays an Idempotency-Key's first refund as Stripe does. */
  private refund(form: URLSearchParams, idempotencyKey: string | null, res: ServerResponse): void {
    if (idempotencyKey) {
      const earlier = this.refundsByKey.get(idempotencyKey);
      if (earlier) {
        send(res, 200, earlier, { 'Idempotent-Replayed': 'true' });
        return;
      }
    }
    const paymentIntent = form.get('payment_intent');
    if (!paymentIntent) {
      send(res, 400, { error: { type: 'invalid_request_error', message: 'Missing required param: payment_intent.' } });
      return;
    }
    const reverseTransfer = form.has('reverse_transfer') ? form.get('reverse_transfer') === 'true' : null;
    const refundFee = form.has('refund_application_fee') ? form.get('refund_application_fee') === 'true' : null;
    // A PaymentIntent this stand-in took (pay()): Stripe's own checks and the application fee's ledger.
    const payment = this.payments.get(paymentIntent);
    let feeBack = 0;
    let amount = Number(form.get('amount'));
    if (payment) {
      if (!form.has('amount')) amount = payment.amount - payment.refunded;
      if (amount <= 0 || amount > payment.amount - payment.refunded) {
        send(res, 400, { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${payment.amount - payment.refunded})` } });
        return;
      }
      if (reverseTransfer && payment.destination === null) {
        send(res, 400, { error: { type: 'invalid_request_error', param: 'reverse_transfer', message: 'You cannot reverse the transfer of a charge that has no transfer.' } });
        return;
      }
      if (refundFee && payment.applicationFee === 0 && payment.destination === null) {
        send(res, 400, { error: { type: 'invalid_request_error', param: 'refund_application_fee', message: 'This charge has no application fee to refund.' } });
        return;
      }
      if (refundFee) {
        const left = payment.applicationFee - payment.feeRefunded;
        feeBack = payment.refunded + amount >= payment.amount ? left : Math.min(left, Math.floor((payment.applicationFee * amount) / payment.amount));
      }
      payment.refunded += amount;
      payment.feeRefunded += feeBack;
    }
    const refund: FakeRefund = {
      id: `re_fake${String(this.refunds.size + 1).padStart(6, '0')}_${randomUUID().slice(0, 8)}`,
      object: 'refund',
      amount,
      currency: 'eur',
      payment_intent: paymentIntent,
      status: this.refundStatus,
      metadata: Object.fromEntries([...form.entries()].filter(([k]) => k.startsWith('metadata[')).map(([k, v]) => [k.slice(9, -1), v])),
      created: Math.floor(this.now() / 1000),
      reverse_transfer: reverseTransfer,
      refund_application_fee: refundFee,
      application_fee_refunded: feeBack,
    };
    this.refunds.set(refund.id, refund);
    if (refund.status === 'pending' && this.refundPendingForMs !== null) this.pendingUntil.set(refund.id, this.now() + this.refundPendingForMs);
    if (idempotencyKey) this.refundsByKey.set(idempotencyKey, refund);
    send(res, 200, refund);
  }

  /** `POST /v1/accounts`: an Express account, unable to charge until onboarded (onboard()); an Idempotency-Key's first answer replayed. */
  private createAccount(form: URLSearchParams, idempotencyKey: string | null, res: ServerResponse): void {
    if (idempotencyKey) {
      const earlier = this.accountsByKey.get(idempotencyKey);
      if (earlier) {
        send(res, 200, earlier, { 'Idempotent-Replayed': 'true' });
        return;
      }
    }
    if (form.get('type') !== 'express' && !form.has('controller[stripe_dashboard][type]')) {
      send(res, 400, { error: { type: 'invalid_request_error', param: 'type', message: 'Missing required param: type.' } });
      return;
    }
    const account: FakeAccount = {
      id: `acct_fake${String(this.accounts.size + 1).padStart(6, '0')}${randomUUID().slice(0, 6)}`,
      object: 'account',
      type: form.get('type') ?? 'express',
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      requirements: { currently_due: ['business_type', 'external_account', 'tos_acceptance.date'] },
      metadata: Object.fromEntries([...form.entries()].filter(([k]) => k.startsWith('metadata[')).map(([k, v]) => [k.slice(9, -1), v])),
      created: Math.floor(this.now() / 1000),
    };
    this.accounts.set(account.id, account);
    if (idempotencyKey) this.accountsByKey.set(idempotencyKey, account);
    send(res, 200, account);
  }

  /** `POST /v1/account_links`: onboarding for a known account. */
  private accountLink(form: URLSearchParams, res: ServerResponse): void {
    const id = form.get('account') ?? '';
    const missing = ['account', 'type', 'refresh_url', 'return_url'].find((name) => !form.get(name));
    if (missing) {
      send(res, 400, { error: { type: 'invalid_request_error', param: missing, message: `Missing required param: ${missing}.` } });
      return;
    }
    if (!this.accounts.has(id)) {
      send(res, 400, { error: { type: 'invalid_request_error', code: 'resource_missing', param: 'account', message: `No such account: '${id}'` } });
      return;
    }
    send(res, 200, { object: 'account_link', created: Math.floor(this.now() / 1000), expires_at: Math.floor(this.now() / 1000) + 300, url: `https://connect.stripe.com/setup/e/${id}/${randomUUID().slice(0, 12)}` });
  }

  /** Onboarding done at Stripe: the account can charge and be paid out (the test then delivers account.updated). */
  onboard(id: string, state: Partial<Pick<FakeAccount, 'charges_enabled' | 'payouts_enabled' | 'details_submitted'>> = {}): FakeAccount {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`no account ${id}`);
    Object.assign(account, { charges_enabled: true, payouts_enabled: true, details_submitted: true, requirements: { currently_due: [] } }, state);
    return account;
  }

  /** The guest pays the session: its PaymentIntent is made (with the destination charge's terms) and the session completes. */
  pay(sessionId: string): FakeSession & { payment_intent: string } {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    if (session.payment_intent === null) {
      const id = `pi_fake${String(this.payments.size + 1).padStart(6, '0')}_${randomUUID().slice(0, 8)}`;
      this.payments.set(id, {
        id,
        amount: session.amount_total,
        currency: session.currency,
        destination: session.transfer_destination,
        applicationFee: session.application_fee_amount ?? 0,
        refunded: 0,
        feeRefunded: 0,
      });
      Object.assign(session, { payment_intent: id, status: 'complete', payment_status: 'paid' });
    }
    return session as FakeSession & { payment_intent: string };
  }
}

function sortedForm(form: URLSearchParams): string {
  return [...form.entries()]
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('&');
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

function apiError(message: string) {
  return { error: { type: 'api_error', message } };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': `req_fake_${Date.now()}`, ...headers });
  res.end(JSON.stringify(body));
}

export type SessionEventInput = {
  type?: string;
  id?: string;
  checkoutId: string | null;
  sessionId: string;
  paymentStatus?: 'paid' | 'unpaid';
  amount?: number;
  currency?: string;
  /** The session's own status (default `complete`). */
  sessionStatus?: 'open' | 'complete' | 'expired';
};

/** A Stripe event as Stripe sends it (the body webhooks sign), about `object`. */
export function stripeEvent<T>(type: string, object: T, id = `evt_${randomUUID().replaceAll('-', '')}`) {
  return {
    id,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

/** A Stripe event about a Checkout Session, as Stripe sends it (the body webhooks sign). */
export function sessionEvent(input: SessionEventInput) {
  return stripeEvent(
    input.type ?? 'checkout.session.completed',
    {
      id: input.sessionId,
      object: 'checkout.session',
      client_reference_id: input.checkoutId,
      payment_status: input.paymentStatus ?? 'paid',
      status: input.sessionStatus ?? 'complete',
      amount_total: input.amount ?? 2000,
      currency: input.currency ?? 'eur',
      mode: 'payment',
    },
    input.id,
  );
}
