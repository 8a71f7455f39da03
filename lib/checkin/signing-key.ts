// The Ed25519 key that signs ticket codes. CHECKIN_SIGNING_KEY (32 bytes,
// base64url) names it; without it the first instance that needs a key
// generates one and stores it in checkin_signing_keys (INSERT … ON CONFLICT
// DO NOTHING, then read back), so every instance sharing the database signs
// and verifies with the same key and `npm run dev` needs nothing configured.
import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Queryable } from '@/lib/db/pool';
import { checkinSigningKeys } from '@/lib/db/schema';
import { base64UrlDecode, base64UrlEncode } from './code-format';

export type SigningKey = { privateKey: KeyObject; publicKey: KeyObject; /** raw 32 bytes, base64url: the snapshot's verifyKey */ verifyKey: string };

const KEY_ID = 'ticket-codes';
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const CACHE = Symbol.for('event-app.checkin.signing-key');
type Cache = { [CACHE]?: Promise<SigningKey> };

function keyFromSeed(seed: Uint8Array): SigningKey {
  if (seed.length !== 32) throw new Error('CHECKIN_SIGNING_KEY must be 32 bytes, base64url');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey, verifyKey: base64UrlEncode(new Uint8Array(spki.subarray(spki.length - 32))) };
}

async function loadKey(db: Queryable): Promise<SigningKey> {
  const configured = process.env.CHECKIN_SIGNING_KEY?.trim();
  if (configured) {
    const seed = base64UrlDecode(configured);
    if (!seed) throw new Error('CHECKIN_SIGNING_KEY must be 32 bytes, base64url');
    return keyFromSeed(seed);
  }
  await db
    .insert(checkinSigningKeys)
    .values({ id: KEY_ID, seed: randomBytes(32).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.select().from(checkinSigningKeys).where(eq(checkinSigningKeys.id, KEY_ID)).limit(1);
  if (!row) throw new Error('checkin signing key missing after insert');
  const seed = base64UrlDecode(row.seed);
  if (!seed) throw new Error('checkin_signing_keys holds a malformed seed');
  return keyFromSeed(seed);
}

/** The process's signing key, read once (the key never changes; every instance reads the same row). */
export function signingKey(db: Queryable): Promise<SigningKey> {
  const cache = globalThis as Cache;
  const loading = cache[CACHE] ?? loadKey(db);
  cache[CACHE] = loading;
  loading.catch(() => {
    if (cache[CACHE] === loading) delete cache[CACHE];
  });
  return loading;
}
