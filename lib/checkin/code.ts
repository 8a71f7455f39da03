// A ticket's signed code (docs/api.md, "Door check-in"): what the QR code
// holds. Deterministic (Ed25519 signatures are), so the page, the mail and
// any instance give the same code for the same ticket.
import { sign, verify } from 'node:crypto';
import { joinCode, parseCode, signedMessage } from './code-format';
import { signingKey, type SigningKey } from './signing-key';

export type TicketRef = { eventId: string; registrationId: string };

export function codeWithKey(key: SigningKey, { eventId, registrationId }: TicketRef): string {
  const signature = sign(null, signedMessage(eventId, registrationId), key.privateKey);
  return joinCode(registrationId, new Uint8Array(signature));
}

/** The signed code of a ticket (a confirmed registration, or a paid ticket's registration row); loads the key on the pool, so never inside a transaction. */
export async function ticketCodeOf(ticket: TicketRef): Promise<string> {
  return codeWithKey(await signingKey(), ticket);
}

/** The registration a code names, when its signature is ours for this event; null for a forged, altered or foreign code. */
export function verifyWithKey(key: SigningKey, eventId: string, code: string): string | null {
  const parsed = parseCode(code);
  if (!parsed) return null;
  const ok = verify(null, signedMessage(eventId, parsed.registrationId), key.publicKey, parsed.signature);
  return ok ? parsed.registrationId : null;
}

/** As verifyWithKey, the key loaded on the pool (never inside a transaction). */
export async function verifyTicketCode(eventId: string, code: string): Promise<string | null> {
  return verifyWithKey(await signingKey(), eventId, code);
}
