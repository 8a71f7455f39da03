import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { calendarFor } from './attachments';
import { escapeHtml, renderInvitationMail, renderMail, type MailTicket } from './render';
import type { OutboxPayload } from '@/lib/outbox/payload';
import { OUTBOX_KINDS, REGISTRATION_LOCALES } from '@/lib/enums';

const payload: OutboxPayload = {
  name: 'Ann "<img src=x onerror=alert(1)>"',
  manageUrl: '/r/abc',
  event: {
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    slug: 'tea-party',
    title: 'Tea & <i>cakes</i>',
    description: '',
    startsAt: '2030-05-01T15:00:00.000Z',
    endsAt: '2030-05-01T18:00:00.000Z',
    timezone: 'Europe/Moscow',
    location: { type: 'online', url: 'https://meet.example/secret' },
    status: 'published',
    version: 3,
    updatedAt: '2030-04-01T00:00:00.000Z',
  },
};

describe('renderMail', () => {
  it('escapes everything typed by people in the HTML and keeps it verbatim in the text', () => {
    const mail = renderMail('registration_confirmed', 'en', payload, 'https://events.example.com');
    expect(mail.html).not.toMatch(/<img|<i>/);
    expect(mail.html).toContain(escapeHtml('Tea & <i>cakes</i>'));
    expect(mail.text).toContain('Tea & <i>cakes</i>');
    expect(mail.text).toContain('https://events.example.com/r/abc');
    expect(mail.subject).toBe("You're registered: Tea & <i>cakes</i>");
  });

  it('writes times in the event zone and the language of the registration', () => {
    const en = renderMail('registration_confirmed', 'en', payload, 'https://events.example.com');
    const ru = renderMail('registration_confirmed', 'ru', payload, 'https://events.example.com');
    expect(en.text).toContain('6:00');
    expect(en.text).toContain('(Europe/Moscow)');
    expect(ru.text).toContain('18:00');
    expect(ru.subject).toBe('Вы зарегистрированы: Tea & <i>cakes</i>');
  });

  it('never shows an online meeting link in the mail (it is on the event page after registering)', () => {
    const mail = renderMail('event_changed', 'en', payload, 'https://events.example.com');
    expect(mail.text).not.toContain('meet.example');
  });

  it('attaches the .ics to the confirmation, not to the waitlist or cancellation mails', () => {
    const origin = 'https://events.example.com';
    const handed = (kind: Parameters<typeof renderMail>[0]) => ({ calendar: calendarFor(kind, payload.event, origin) });
    const attached = (kind: Parameters<typeof renderMail>[0]) =>
      renderMail(kind, 'en', { ...payload, position: 2 }, origin, handed(kind)).attachments.map((a) => a.filename);
    expect(attached('registration_confirmed')).toEqual(['event.ics']);
    expect(attached('registration_waitlisted')).toEqual([]);
    expect(attached('registration_cancelled')).toEqual([]);
    const ics = renderMail('registration_confirmed', 'en', payload, origin, handed('registration_confirmed')).attachments[0]?.content ?? '';
    expect(ics).toContain('UID:0f8fad5b-d9cb-469f-a165-70867728950e@events.example.com');
    expect(ics).toContain('SEQUENCE:3');
  });
});

describe('renderMail: ticket orders', () => {
  const order = {
    number: 42,
    currency: 'eur',
    total: 5000,
    items: [{ name: 'Standard <b>', quantity: 2, unitAmount: 2500 }],
    tickets: [
      { id: randomUUID(), ticketType: 'Standard <b>', reference: '7KQ2M9XD' },
      { id: randomUUID(), ticketType: 'Standard <b>', reference: 'H4W8ZC0N' },
    ],
  };
  const images: MailTicket[] = [
    { reference: '7KQ2-M9XD', qrPng: Buffer.from('png-1') },
    { reference: 'H4W8-ZC0N', qrPng: Buffer.from('png-2') },
  ];

  it('the receipt: lines, total with zero taxes, each ticket, the order link; escaped in the HTML', () => {
    const mail = renderMail('order_confirmed', 'en', { ...payload, manageUrl: '/o/tok', order }, 'https://events.example.com');
    expect(mail.subject).toBe('Your tickets: Tea & <i>cakes</i> (order 42)');
    expect(mail.text).toContain('2 × Standard <b>: €50.00');
    expect(mail.text).toContain('Total: €50.00 (taxes: €0.00)');
    expect(mail.text).toContain('Ticket 2: Standard <b>');
    expect(mail.text).toContain('https://events.example.com/o/tok');
    expect(mail.html).not.toContain('<b>');
  });

  it('the receipt carries each ticket: its QR code inline by Content-ID, its reference under it, the .ics and the order link', () => {
    const origin = 'https://events.example.com';
    const mail = renderMail('order_confirmed', 'ru', { ...payload, manageUrl: '/o/tok', order }, origin, {
      tickets: images,
      calendar: calendarFor('order_confirmed', payload.event, origin),
    });
    expect(mail.attachments.map((a) => [a.filename, a.cid ?? null])).toEqual([
      ['event.ics', null],
      ['ticket-1-qr.png', 'ticket-qr-1@event-app'],
      ['ticket-2-qr.png', 'ticket-qr-2@event-app'],
    ]);
    expect(mail.attachments[2]?.content).toEqual(Buffer.from('png-2'));
    // Ticket 1, its image, its reference; then ticket 2: each reference right under its own QR code.
    const html = mail.html;
    const order1 = [html.indexOf('Билет 1: Standard'), html.indexOf('cid:ticket-qr-1@event-app'), html.indexOf('7KQ2-M9XD'), html.indexOf('Билет 2: Standard')];
    expect(order1.every((at) => at >= 0)).toBe(true);
    expect([...order1].sort((a, b) => a - b)).toEqual(order1);
    expect(html.indexOf('cid:ticket-qr-2@event-app')).toBeLessThan(html.indexOf('H4W8-ZC0N'));
    expect(mail.text).toContain('Номер билета (его можно ввести на входе, если QR-код не читается): H4W8-ZC0N');
    expect(mail.text).toContain(`${origin}/o/tok`);
    expect(mail.text).toContain('event.ics');
  });

  it('a discounted receipt shows the price, the discount and the code (issue 35), in both languages', () => {
    const coded = { ...order, total: 4000, code: 'FRIENDS', items: [{ name: 'Standard', quantity: 2, unitAmount: 2500, unitDiscount: 500 }] };
    const en = renderMail('order_confirmed', 'en', { ...payload, manageUrl: '/o/tok', order: coded }, 'https://events.example.com');
    expect(en.text).toContain('2 × Standard: €40.00 (€50.00 less a discount of €10.00)');
    expect(en.text).toContain('Discount code: FRIENDS');
    expect(en.text).toContain('Total: €40.00');
    const ru = renderMail('order_confirmed', 'ru', { ...payload, manageUrl: '/o/tok', order: coded }, 'https://events.example.com');
    expect(ru.text).toContain('Код скидки: FRIENDS');
    expect(ru.text).toMatch(/2 × Standard: 40,00\s€ \(50,00\s€ за вычетом скидки 10,00\s€\)/);
  });

  it('a refund after a late payment says why, in the guest’s language', () => {
    const refunded = { ...order, tickets: undefined, refundAmount: 5000, refundReason: 'late_payment_no_seats' };
    const mail = renderMail('order_refunded', 'ru', { ...payload, order: refunded }, 'https://events.example.com');
    expect(mail.subject).toBe('Возврат по заказу 42: Tea & <i>cakes</i>');
    expect(mail.text).toContain('Мы вернули 50,00');
    expect(mail.text).toContain('места тем временем заняли другие гости');
  });

  it('a refund the provider failed says nothing was refunded, and that the tickets still hold only when there are some', () => {
    const kept = renderMail('order_refund_failed', 'en', { ...payload, manageUrl: '/o/tok', order: { ...order, refundAmount: 5000, refundReason: 'guest' } }, 'https://events.example.com');
    expect(kept.subject).toBe('Your refund did not go through: order 42, Tea & <i>cakes</i>');
    expect(kept.text).toContain('We could not refund €50.00 of your order 42');
    expect(kept.text).toContain('nothing was refunded');
    expect(kept.text).toContain('Your tickets remain valid');
    // The guest's own reason ("You cancelled the order") would read as if it had worked.
    expect(kept.text).not.toContain('You cancelled the order');
    expect(kept.text).toContain('https://events.example.com/o/tok');
    const none = renderMail('order_refund_failed', 'ru', { ...payload, order: { ...order, tickets: [], refundAmount: 5000, refundReason: 'late_payment_no_seats' } }, 'https://events.example.com');
    expect(none.text).toContain('деньги не возвращены');
    expect(none.text).not.toContain('билеты остаются действительными');
  });
});

describe('renderMail: no internal id in any mail', () => {
  const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
  const origin = 'https://events.example.com';
  // Every id the payload holds is a UUID, as in production, so that any of them printed would show.
  const full: OutboxPayload = {
    ...payload,
    manageUrl: '/o/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA',
    reference: '7KQ2M9XD',
    position: 2,
    previous: { startsAt: payload.event.startsAt, endsAt: payload.event.endsAt, timezone: 'UTC', location: { type: 'in_person', address: 'Old Hall 1' } },
    event: { ...payload.event, id: randomUUID(), location: { type: 'in_person', address: 'Main St 5' } },
    order: {
      number: 7,
      currency: 'eur',
      total: 2500,
      items: [{ name: 'Standard', quantity: 1, unitAmount: 2500 }],
      tickets: [{ id: randomUUID(), ticketType: 'Standard', reference: '7KQ2M9XD' }],
      refundAmount: 2500,
      refundReason: 'guest',
    },
  };
  const tickets: MailTicket[] = [{ reference: '7KQ2-M9XD', qrPng: Buffer.from('png') }];

  // The invitation has no event: its own payload and renderer (below).
  for (const kind of OUTBOX_KINDS.filter((k) => k !== 'team_invitation')) {
    for (const locale of REGISTRATION_LOCALES) {
      it(`${kind} (${locale}): subject, text and HTML print no UUID, and a ticket mail prints the reference`, () => {
        const calendar = calendarFor(kind, full.event, origin);
        const mail = renderMail(kind, locale, full, origin, { tickets, calendar });
        for (const [part, content] of [['subject', mail.subject], ['text', mail.text], ['html', mail.html]] as const) {
          expect(content, `${kind} ${locale} ${part}`).not.toMatch(UUID);
        }
        if (kind === 'registration_confirmed' || kind === 'registration_promoted' || kind === 'order_confirmed') {
          expect(mail.text).toContain('7KQ2-M9XD');
          expect(mail.attachments.some((a) => a.contentType === 'image/png' && a.cid !== undefined)).toBe(true);
          expect(mail.attachments.some((a) => a.filename === 'event.ics')).toBe(true);
        }
      });
    }
  }
});

describe('renderInvitationMail', () => {
  const invitation = {
    team: 'Jazz <Club> & Co',
    role: 'finance' as const,
    inviter: 'Olga "O" Owner',
    inviteUrl: '/invite/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg',
    expiresAt: '2026-12-15T10:00:00.000Z',
  };
  for (const locale of REGISTRATION_LOCALES) {
    it(`(${locale}) names the team, the inviter and the role with what it may do, links the page, says until when, and escapes what people typed`, () => {
      const mail = renderInvitationMail(locale, invitation, 'https://events.example.com');
      const role = locale === 'ru' ? 'Финансы' : 'Finance';
      expect(mail.subject).toContain('Jazz <Club> & Co');
      expect(mail.text).toContain('Olga "O" Owner');
      expect(mail.text).toContain(role);
      expect(mail.text).toContain('https://events.example.com/invite/Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg');
      expect(mail.text).toContain('2026');
      expect(mail.html).toContain('Jazz &lt;Club&gt; &amp; Co');
      expect(mail.html).not.toContain('<Club>');
      expect(mail.html).toContain(`lang="${locale}"`);
      expect(mail.attachments).toEqual([]);
    });
  }
  it('is in the language of its row: the Russian mail is in Russian', () => {
    expect(renderInvitationMail('ru', invitation, 'https://e.example').subject).toMatch(/^Приглашение в команду/);
    expect(renderInvitationMail('en', invitation, 'https://e.example').subject).toMatch(/^Join /);
  });
});
