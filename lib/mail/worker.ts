// The mail job: the outbox job (lib/outbox/worker.ts) with mail as its
// sender. Each claimed row's payload is checked, rendered in its locale
// (render.ts) and sent over SMTP (transport.ts) with the row's Message-ID and
// the time its change committed.
import type { Queryable } from '@/lib/db/pool';
import { messageIdOf, outboxConfig, type OutboxConfig } from '@/lib/outbox/config';
import { invitationPayloadSchema, outboxPayloadSchema, type OutboxPayload } from '@/lib/outbox/payload';
import { outboxJob, startOutboxWorker, type OutboxSender, type OutboxWorker } from '@/lib/outbox/worker';
import type { Job } from '@/lib/jobs/job';
import type { Claimed } from '@/lib/outbox/store';
import { ticketForMail, type TicketForMail } from '@/lib/checkin/mail-ticket';
import type { OutboxKind } from '@/lib/enums';
import { calendarFor } from './attachments';
import { renderInvitationMail, renderMail, type RenderedMail } from './render';
import { smtpTransport, type MailTransport } from './transport';

export type MailWorkerOptions = {
  db: Queryable;
  config?: OutboxConfig;
  /** Defaults to SMTP over config.smtpUrl. */
  transport?: MailTransport;
  /** Also register as this process's wake-up target (the in-process worker of the app). */
  nudgeable?: boolean;
};

/** The mails that make a registration a ticket: they carry its QR code and reference (docs/api.md, "Door check-in"). */
const WITH_TICKET: ReadonlySet<OutboxKind> = new Set(['registration_confirmed', 'registration_promoted']);

/** The tickets a mail carries: the registration's own, or each ticket of a paid order's receipt, in the receipt's order. */
async function ticketsFor(row: Claimed, payload: OutboxPayload): Promise<TicketForMail[]> {
  const eventId = payload.event.id;
  if (WITH_TICKET.has(row.kind) && row.registrationId) {
    return [await ticketForMail({ eventId, registrationId: row.registrationId, reference: payload.reference ?? null })];
  }
  if (row.kind === 'order_confirmed') {
    return Promise.all((payload.order?.tickets ?? []).map((t) => ticketForMail({ eventId, registrationId: t.id, reference: t.reference ?? null })));
  }
  return [];
}

/** An outbox row as its mail: an invitation to a team has its own payload, every other kind is about an event. */
async function renderRow(row: Claimed, appOrigin: string): Promise<RenderedMail> {
  if (row.kind === 'team_invitation') return renderInvitationMail(row.locale, invitationPayloadSchema.parse(row.payload), appOrigin);
  const payload = outboxPayloadSchema.parse(row.payload);
  const tickets = await ticketsFor(row, payload);
  const calendar = calendarFor(row.kind, payload.event, appOrigin);
  return renderMail(row.kind, row.locale, payload, appOrigin, { tickets, calendar });
}

/** Outbox rows as mails over `transport` (SMTP over config.smtpUrl unless given); tickets' codes are signed with the key loaded on the pool (lib/checkin/signing-key.ts). */
export function mailSender(config: OutboxConfig, transport?: MailTransport): OutboxSender {
  let mailer = transport ?? null;
  if (!mailer) {
    if (!config.smtpUrl) throw new Error('SMTP_URL is not set: the mail worker has nowhere to send');
    mailer = smtpTransport(config.smtpUrl, { connections: config.smtpConnections, timeoutMs: Math.min(30_000, config.leaseMs / 3) });
  }
  const smtp = mailer;
  const render = (row: Claimed) => renderRow(row, config.appOrigin);
  return {
    async send(row) {
      const mail = await render(row);
      await smtp.send({ ...mail, from: config.from, to: row.recipient, messageId: messageIdOf(row.id, config.appOrigin), date: row.createdAt });
    },
    close() {
      smtp.close();
    },
  };
}

/** The mail job for the runner: outbox rows sent as mails. */
export function mailJob(options: Omit<MailWorkerOptions, 'nudgeable'>): Job<Claimed> {
  const config = options.config ?? outboxConfig();
  return outboxJob({ db: options.db, config, sender: mailSender(config, options.transport) });
}

export function startMailWorker(options: MailWorkerOptions): OutboxWorker {
  const config = options.config ?? outboxConfig();
  return startOutboxWorker({
    db: options.db,
    config,
    sender: mailSender(config, options.transport),
    ...(options.nudgeable !== undefined && { nudgeable: options.nudgeable }),
  });
}
