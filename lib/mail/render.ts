// An outbox row as a mail: subject, plain text and HTML in the registrant's
// language (lib/i18n/messages/*.json, `email`), absolute links from
// APP_ORIGIN, and what it is handed to carry (each ticket's QR code and
// reference, the event's .ics: attachments.ts decides which mail carries
// what). Everything the registrant or the organiser typed is escaped in the
// HTML. No mail prints an internal id (render.test.ts renders every kind).
import { MESSAGES } from '@/lib/i18n/messages';
import type { OutboxKind } from '@/lib/enums';
import type { EventSnapshot, InvitationPayload, OutboxPayload } from '@/lib/outbox/payload';
import { formatMoney } from '@/lib/money';

export type MailLocale = 'en' | 'ru';

export type RenderedMail = {
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; content: string | Buffer; contentType: string; cid?: string }[];
};

/** A ticket's QR code as a PNG and its reference as printed (lib/checkin/mail-ticket.ts), for the confirmation, promotion and receipt mails. */
export type MailTicket = { reference: string | null; qrPng: Buffer };

/** What a mail carries besides its text: its tickets (a receipt's in its tickets' order), and the event's iCalendar file (event.ics). */
export type MailEnclosures = { tickets?: readonly MailTicket[]; calendar?: string };

/** The inline image's Content-ID: `<img src="cid:…">` in the HTML (clients show cid images, not data: URLs). */
export const TICKET_QR_CID = 'ticket-qr@event-app';

/** A receipt's n-th ticket image (1-based): its Content-ID and file name. */
function receiptQr(n: number): { cid: string; filename: string } {
  return { cid: `ticket-qr-${n}@event-app`, filename: `ticket-${n}-qr.png` };
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** `{name}` placeholders; values are inserted as they are (the caller escapes for HTML). */
function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

function when(event: Pick<EventSnapshot, 'startsAt' | 'endsAt' | 'timezone'>, locale: MailLocale): string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone: event.timezone });
  return `${format.formatRange(new Date(event.startsAt), new Date(event.endsAt))} (${event.timezone})`;
}

function where(event: Pick<EventSnapshot, 'location'>, locale: MailLocale): string {
  return event.location.type === 'online' ? MESSAGES[locale].email.online : event.location.address;
}

type Block = { kind: 'p'; text: string } | { kind: 'link'; label: string; url: string } | { kind: 'qr'; alt: string; cid: string };

export function renderMail(
  kind: OutboxKind,
  locale: MailLocale,
  payload: OutboxPayload,
  appOrigin: string,
  { tickets = [], calendar }: MailEnclosures = {},
): RenderedMail {
  const m = MESSAGES[locale].email;
  const { event } = payload;
  const order = payload.order;
  const money = (amount: number) => formatMoney(amount, order?.currency ?? 'eur', locale);
  const values = {
    title: event.title,
    name: payload.name,
    position: payload.position ?? '',
    number: order?.number ?? '',
    refund: order?.refundAmount !== undefined ? money(order.refundAmount) : '',
  };
  const eventUrl = `${appOrigin}/e/${event.slug}`;

  const blocks: Block[] = [
    { kind: 'p', text: fill(m.greeting, values) },
    { kind: 'p', text: fill(m.lead[kind], values) },
  ];
  if (order) blocks.push(...receiptBlocks(kind, order, m, money));
  if (kind !== 'registration_cancelled' && kind !== 'event_cancelled' && kind !== 'order_hold_expired' && kind !== 'order_refunded' && kind !== 'order_event_cancelled') {
    blocks.push({ kind: 'p', text: fill(m.when, { when: when(event, locale) }) });
    blocks.push({ kind: 'p', text: fill(m.where, { where: where(event, locale) }) });
  }
  if (payload.previous) {
    blocks.push({ kind: 'p', text: fill(m.before, { when: when(payload.previous, locale), where: where(payload.previous, locale) }) });
  }
  const t = MESSAGES[locale].checkin.mail;
  const ticket = tickets[0];
  const receiptTickets = kind === 'order_confirmed' ? (order?.tickets ?? []) : [];
  if (receiptTickets.length > 0) {
    // Each ticket of the order: its type, its QR code, its reference under it.
    blocks.push({ kind: 'p', text: m.ticketsLead });
    receiptTickets.forEach((issued, index) => {
      const image = tickets[index];
      blocks.push({ kind: 'p', text: fill(m.ticketLine, { index: index + 1, ticketType: issued.ticketType }) });
      if (image) blocks.push({ kind: 'qr', alt: fill(t.qrAltN, { n: index + 1 }), cid: receiptQr(index + 1).cid });
      if (image?.reference) blocks.push({ kind: 'p', text: fill(t.reference, { reference: image.reference }) });
    });
  } else if (ticket) {
    blocks.push({ kind: 'p', text: t.ticket }, { kind: 'qr', alt: t.qrAlt, cid: TICKET_QR_CID });
    if (ticket.reference) blocks.push({ kind: 'p', text: fill(t.reference, { reference: ticket.reference }) });
  }
  if (payload.manageUrl && kind !== 'registration_cancelled') {
    blocks.push({ kind: 'link', label: order ? m.orderPage : m.manage, url: `${appOrigin}${payload.manageUrl}` });
  }
  blocks.push({ kind: 'link', label: m.eventPage, url: eventUrl });
  if (calendar !== undefined) blocks.push({ kind: 'p', text: m.calendar });

  const footer = order ? m.orderFooter : m.footer;
  const text = [...blocks.flatMap((b) => (b.kind === 'p' ? [b.text] : b.kind === 'link' ? [`${b.label}\n${b.url}`] : [])), '--', footer].join('\n\n');
  const html = [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(fill(m.subject[kind], values))}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #111">',
    ...blocks.map((b) =>
      b.kind === 'p'
        ? `<p>${escapeHtml(b.text)}</p>`
        : b.kind === 'qr'
          ? `<p><img src="cid:${b.cid}" alt="${escapeHtml(b.alt)}" width="240" height="240" style="display: block; width: 240px; height: 240px"></p>`
          : `<p>${escapeHtml(b.label)}<br><a href="${escapeHtml(b.url)}">${escapeHtml(b.url)}</a></p>`,
    ),
    `<hr><p style="color: #666; font-size: 0.9em">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');

  const attachments: RenderedMail['attachments'] =
    receiptTickets.length > 0
      ? tickets.slice(0, receiptTickets.length).map((image, index) => ({ ...receiptQr(index + 1), content: image.qrPng, contentType: 'image/png' }))
      : ticket
        ? [{ filename: 'ticket-qr.png', content: ticket.qrPng, contentType: 'image/png', cid: TICKET_QR_CID }]
        : [];
  const ics = calendar !== undefined ? [{ filename: 'event.ics', content: calendar, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }] : [];
  return { subject: fill(m.subject[kind], values), text, html, attachments: [...ics, ...attachments] };
}

type EmailMessages = (typeof MESSAGES)['en']['email'];

/** The receipt of an order mail: its lines, the total (taxes zero: none are configured), the refund's reason (the tickets follow the event's time and place). */
function receiptBlocks(kind: OutboxKind, order: NonNullable<OutboxPayload['order']>, m: EmailMessages, money: (amount: number) => string): Block[] {
  const blocks: Block[] = order.items.map((item) => ({
    kind: 'p',
    text: item.unitDiscount
      ? fill(m.receiptLineDiscounted, {
          quantity: item.quantity,
          name: item.name,
          amount: money(item.quantity * (item.unitAmount - item.unitDiscount)),
          price: money(item.quantity * item.unitAmount),
          discount: money(item.quantity * item.unitDiscount),
        })
      : fill(m.receiptLine, { quantity: item.quantity, name: item.name, amount: money(item.quantity * item.unitAmount) }),
  }));
  // An access code that took nothing off is not a discount to report.
  if (order.code && order.items.some((item) => (item.unitDiscount ?? 0) > 0)) blocks.push({ kind: 'p', text: fill(m.receiptCode, { code: order.code }) });
  blocks.push({ kind: 'p', text: fill(m.receiptTotal, { amount: money(order.total), taxes: money(0) }) });
  if (kind === 'order_refund_failed' && (order.tickets ?? []).length > 0) blocks.push({ kind: 'p', text: m.refundFailedTicketsValid });
  const reason = kind === 'order_refund_failed' ? undefined : order.refundReason;
  if (reason === 'organiser' || reason === 'guest' || reason === 'late_payment_no_seats' || reason === 'late_payment_event_started' || reason === 'event_cancelled') {
    blocks.push({ kind: 'p', text: m.refundReason[reason] });
  }
  return blocks;
}

/** The team_invitation mail: who invites to which team as what, what the role may do, and the link (good once, until it expires). */
export function renderInvitationMail(locale: MailLocale, payload: InvitationPayload, appOrigin: string): RenderedMail {
  const messages = MESSAGES[locale];
  const m = messages.email;
  const role = messages.roles[payload.role];
  const values = { team: payload.team, inviter: payload.inviter, role };
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'long', timeZone: 'UTC' }).format(new Date(payload.expiresAt));
  const url = `${appOrigin}${payload.inviteUrl}`;
  const subject = fill(m.subject.team_invitation, values);
  const paragraphs = [
    m.invitation.greeting,
    fill(m.lead.team_invitation, values),
    fill(m.invitation.may, { role, help: messages.roleHelp[payload.role] }),
  ];
  const expires = fill(m.invitation.expires, { date });
  const text = [...paragraphs, `${m.invitation.accept}\n${url}`, expires, '--', m.invitation.footer].join('\n\n');
  const html = [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #111">',
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p>${escapeHtml(m.invitation.accept)}<br><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`,
    `<p>${escapeHtml(expires)}</p>`,
    `<hr><p style="color: #666; font-size: 0.9em">${escapeHtml(m.invitation.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html, attachments: [] };
}
