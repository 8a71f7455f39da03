// The deployment's two server secrets, one per purpose so that rotating one
// never breaks what the other signs:
//   - the Ed25519 key that signs ticket codes (CHECKIN_SIGNING_KEY, 32 bytes,
//     base64url; else the row `ticket-codes` of checkin_signing_keys);
//   - the secret order links are derived from (ORDER_LINK_SECRET, 32 bytes,
//     base64url; else the row `order-links`), lib/tickets/order-token.ts.
// Without the env var the first instance that needs a secret inserts a random
// one (INSERT … ON CONFLICT DO NOTHING, its own committed statement on the
// pool) and every instance caches what it then reads back, so all of them sign
// with the stored row and `npm run dev` needs nothing configured.
//
// THE RULE: the secrets are loaded on the pool, never inside a caller's
// transaction (a key made in a transaction that rolls back was never stored,
// and on the embedded PGlite a second pool connection waited on under a
// transaction hangs forever). So `loadServerKeys()` takes no db at all; it is
// warmed at start-up (instrumentation.ts, the worker scripts) and awaited
// again before any transaction that needs it (the route builder's
// `.withServerKeys()` step, the Stripe webhook before its transaction), and
// code that runs inside a transaction reads `loadedServerKeys()`, which never
// touches the database and throws when nobody loaded the keys first.
import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { databaseUrl, getDb } from '@/lib/db/pool';
import { checkinSigningKeys } from '@/lib/db/schema';
import { processSingleton } from '@/lib/process-singleton';
import { base64UrlDecode, base64UrlEncode } from './code-format';

export type SigningKey = { privateKey: KeyObject; publicKey: KeyObject; /** raw 32 bytes, base64url: the snapshot's verifyKey */ verifyKey: string };

/** `signing`: ticket codes (the door). `orderLinks`: the 32-byte secret order manage links are derived from. */
export type ServerKeys = { signing: SigningKey; orderLinks: Buffer };

export const SIGNING_KEY_ID = 'ticket-codes';
const ORDER_LINKS_ID = 'order-links';
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

// Per database URL (integration tests point one process at a fresh database):
// the promise while loading, the keys once read back from the database.
type Entry = { loading: Promise<ServerKeys>; loaded: ServerKeys | null };

function cacheMap(): Map<string, Entry> {
  return processSingleton('server-keys', () => new Map<string, Entry>());
}

/** The Ed25519 key of a 32-byte seed (as CHECKIN_SIGNING_KEY or the stored row holds it). */
export function signingKeyFromSeed(seed: Uint8Array): SigningKey {
  if (seed.length !== 32) throw new Error('CHECKIN_SIGNING_KEY must be 32 bytes, base64url');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey, verifyKey: base64UrlEncode(new Uint8Array(spki.subarray(spki.length - 32))) };
}

function configuredSeed(name: 'CHECKIN_SIGNING_KEY' | 'ORDER_LINK_SECRET'): Uint8Array | null {
  const configured = process.env[name]?.trim();
  if (!configured) return null;
  const seed = base64UrlDecode(configured);
  if (seed?.length !== 32) throw new Error(`${name} must be 32 bytes, base64url`);
  return seed;
}

/** The stored seed of `id`, inserted first when there is none: each statement commits on its own on the pool. */
async function storedSeed(id: string): Promise<Uint8Array> {
  const db = getDb();
  await db
    .insert(checkinSigningKeys)
    .values({ id, seed: randomBytes(32).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.select().from(checkinSigningKeys).where(eq(checkinSigningKeys.id, id)).limit(1);
  if (!row) throw new Error(`checkin_signing_keys: ${id} missing after insert`);
  const seed = base64UrlDecode(row.seed);
  if (seed?.length !== 32) throw new Error(`checkin_signing_keys holds a malformed seed for ${id}`);
  return seed;
}

async function readKeys(): Promise<ServerKeys> {
  const signingSeed = configuredSeed('CHECKIN_SIGNING_KEY') ?? (await storedSeed(SIGNING_KEY_ID));
  const linkSeed = configuredSeed('ORDER_LINK_SECRET') ?? (await storedSeed(ORDER_LINKS_ID));
  return { signing: signingKeyFromSeed(signingSeed), orderLinks: Buffer.from(linkSeed) };
}

/**
 * The deployment's keys, loaded once per process on the pool (see THE RULE
 * above: never call this while holding a transaction). A failed load is not
 * cached: the next call tries again.
 */
export function loadServerKeys(): Promise<ServerKeys> {
  const cache = cacheMap();
  const url = databaseUrl();
  const current = cache.get(url);
  if (current) return current.loading;
  const entry: Entry = { loading: readKeys(), loaded: null };
  cache.set(url, entry);
  entry.loading.then(
    (keys) => {
      entry.loaded = keys;
    },
    () => {
      if (cache.get(url) === entry) cache.delete(url);
    },
  );
  return entry.loading;
}

/** The ticket-code key, loaded on the pool (never inside a transaction). */
export async function signingKey(): Promise<SigningKey> {
  return (await loadServerKeys()).signing;
}

/**
 * The keys already loaded by this process, for code inside a transaction: it
 * never touches the database. Throws when no one awaited `loadServerKeys()`
 * before the transaction (a route without `.withServerKeys()`): a bug, not a
 * state to recover from.
 */
export function loadedServerKeys(): ServerKeys {
  const loaded = cacheMap().get(databaseUrl())?.loaded;
  if (!loaded) throw new Error('server keys not loaded: await loadServerKeys() before opening the transaction');
  return loaded;
}
