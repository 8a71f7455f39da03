// The ticket a confirmation (or promotion) mail carries: the signed code and
// its QR code as a PNG (qrcode's PNG renderer), attached inline by Content-ID.
import QRCode from 'qrcode';
import { ticketCodeOf, type TicketRef } from './code';

export type TicketForMail = { code: string; qrPng: Buffer };

export async function ticketForMail(ticket: TicketRef): Promise<TicketForMail> {
  const code = await ticketCodeOf(ticket);
  // Scale 5: about 265 px for the 240 px the mail shows; each pixel more costs encoding time on every mail.
  const qrPng = await QRCode.toBuffer(code, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 5 });
  return { code, qrPng };
}
