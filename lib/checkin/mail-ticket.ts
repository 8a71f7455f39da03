// The ticket a mail carries (the confirmation, the promotion, and each ticket
// of a paid order's receipt): its QR code as a PNG (qrcode's PNG renderer),
// attached inline by Content-ID, and its reference as printed under it. The
// mail never prints the signed code itself (107 characters nobody types).
import QRCode from 'qrcode';
import { formatReference } from '@/lib/registrations/reference';
import { ticketCodeOf, type TicketRef } from './code';

export type TicketForMail = { reference: string | null; qrPng: Buffer };

/** `reference`: the ticket's, as stored (null for an outbox row written before references existed). */
export async function ticketForMail(ticket: TicketRef & { reference: string | null }): Promise<TicketForMail> {
  const code = await ticketCodeOf(ticket);
  // Scale 5: about 265 px for the 240 px the mail shows; each pixel more costs encoding time on every mail.
  const qrPng = await QRCode.toBuffer(code, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 5 });
  return { reference: ticket.reference ? formatReference(ticket.reference) : null, qrPng };
}
