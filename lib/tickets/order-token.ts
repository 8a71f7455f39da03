// An order's identifiers: its id (a UUID) and its link, /o/<token>, derived
// from the id under the order-link secret so that a mail written later can
// carry it, while the database keeps only its SHA-256.
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { loadedServerKeys, type ServerKeys } from '@/lib/checkin/signing-key';
import type { OrderRow } from '@/lib/db/schema';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string | undefined): value is string => value !== undefined && UUID.test(value);

/** Whether the text has an order token's shape (checked before asking the database). */
export const isOrderToken = (value: string): boolean => TOKEN.test(value);

const linkKeys = new WeakMap<Buffer, Buffer>();

/**
 * An order's manage token (`/o/<token>`): HMAC-SHA256 of the order's id under
 * a key HKDF-derived from the order-link secret (ORDER_LINK_SECRET, else the
 * stored `order-links` row; never the door's signing key, so rotating
 * CHECKIN_SIGNING_KEY leaves every link working, and the other way round),
 * base64url. Derived rather than random so that a mail written later (the
 * receipt, when the payment arrives) can carry the link; the database still
 * keeps only its SHA-256, so changing the secret changes the links of orders
 * placed after only. Synchronous: it runs inside the order's transaction and
 * reads the keys loaded before it (lib/checkin/signing-key.ts, THE RULE).
 */
export function orderTokenOf(orderId: string, keys: ServerKeys = loadedServerKeys()): string {
  let linkKey = linkKeys.get(keys.orderLinks);
  if (!linkKey) {
    linkKey = Buffer.from(hkdfSync('sha256', keys.orderLinks, Buffer.alloc(0), 'event-app order-manage links v1', 32));
    linkKeys.set(keys.orderLinks, linkKey);
  }
  return createHmac('sha256', linkKey).update(`order-manage:v1:${orderId}`).digest('base64url');
}

/**
 * The token an existing order was given, for a mail written later (the
 * receipt): the current derivation, or for an order placed before order links
 * had a secret of their own, the old one (HMAC under the door key's PKCS#8
 * bytes), whichever matches its stored hash.
 */
export function issuedOrderTokenOf(order: Pick<OrderRow, 'id' | 'tokenHash'>, keys: ServerKeys = loadedServerKeys()): string {
  const current = orderTokenOf(order.id, keys);
  if (orderTokenHash(current) === order.tokenHash) return current;
  const legacy = createHmac('sha256', keys.signing.privateKey.export({ format: 'der', type: 'pkcs8' }))
    .update(`order-manage:v1:${order.id}`)
    .digest('base64url');
  return orderTokenHash(legacy) === order.tokenHash ? legacy : current;
}

export function orderTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function orderManageUrl(token: string): string {
  return `/o/${token}`;
}

/** Where a guest pays: the order's own page, which opens (or reuses) its one payment session. */
export function orderPaymentPath(token: string): string {
  return `/o/${token}/pay`;
}
