// The ticket a confirmation (or promotion) mail carries: the signed code and
// its QR code as a PNG (qrcode's PNG renderer), attached inline by Content-ID.
import QRCode from 'qrcode';
import type { Queryable } from '@/lib/db/pool';
import { ticketCodeOf, type TicketRef } from './code';

export type TicketForMail = { code: string; qrPng: Buffer };

export async function ticketForMail(db: Queryable, ticket: TicketRef): Promise<TicketForMail> {
  const code = await ticketCodeOf(db, ticket);
  const qrPng = await QRCode.toBuffer(code, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 6 });
  return { code, qrPng };
}
