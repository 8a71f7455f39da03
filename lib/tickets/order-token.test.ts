// Order links are derived from the order-link secret alone: rotating the door's
// signing key (CHECKIN_SIGNING_KEY) leaves every link as it was, and the other way round.
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signingKeyFromSeed, type ServerKeys } from '@/lib/checkin/signing-key';
import { createHmac } from 'node:crypto';
import { issuedOrderTokenOf, orderTokenHash, orderTokenOf } from './order-token';

const keys = (signingSeed: Buffer, orderLinks: Buffer): ServerKeys => ({ signing: signingKeyFromSeed(signingSeed), orderLinks });

describe('orderTokenOf', () => {
  const orderId = randomUUID();
  const links = randomBytes(32);

  it('does not change when the signing key is rotated', () => {
    expect(orderTokenOf(orderId, keys(randomBytes(32), links))).toBe(orderTokenOf(orderId, keys(randomBytes(32), links)));
  });

  it('changes with the order-link secret, and is a 43-character base64url token', () => {
    const signing = randomBytes(32);
    const token = orderTokenOf(orderId, keys(signing, links));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(orderTokenOf(orderId, keys(signing, randomBytes(32)))).not.toBe(token);
  });

  it('gives a receipt the token an order was issued, also one placed before order links had their own secret', () => {
    const k = keys(randomBytes(32), links);
    const current = orderTokenOf(orderId, k);
    expect(issuedOrderTokenOf({ id: orderId, tokenHash: orderTokenHash(current) }, k)).toBe(current);
    const legacy = createHmac('sha256', k.signing.privateKey.export({ format: 'der', type: 'pkcs8' })).update(`order-manage:v1:${orderId}`).digest('base64url');
    expect(issuedOrderTokenOf({ id: orderId, tokenHash: orderTokenHash(legacy) }, k)).toBe(legacy);
  });
});
