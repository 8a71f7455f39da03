// What the door scanner keeps on the device (IndexedDB, through `idb`): the
// event's snapshot, and every scan it made with its nonce, its own verdict
// and, once sent, the server's answer. A scan not yet answered is the queue.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CheckinSnapshot, ScanAnswer } from '@/lib/checkin/schemas';
import type { ScanResult } from '@/lib/enums';

/** The scanner's own verdict: the server's results, and a code whose signature is not ours. */
export type LocalVerdict = ScanResult | 'forged';

export type StoredScan = {
  nonce: string;
  eventId: string;
  code: string;
  scannedAt: string;
  verdict: LocalVerdict;
  ticketId: string | null;
  name: string | null;
  /** 0 while queued, 1 once the server answered (IndexedDB cannot index booleans). */
  sent: 0 | 1;
  server: Pick<ScanAnswer, 'result' | 'admittedAt' | 'admittedBy'> | null;
};

export type StoredSnapshot = { eventId: string; snapshot: CheckinSnapshot; loadedAt: string };

interface ScannerDb extends DBSchema {
  snapshots: { key: string; value: StoredSnapshot };
  scans: { key: string; value: StoredScan; indexes: { byEventSent: [string, number] } };
  settings: { key: string; value: { key: string; value: string } };
}

const DB_NAME = 'door-scanner';

let opening: Promise<IDBPDatabase<ScannerDb>> | null = null;

export function scannerDb(): Promise<IDBPDatabase<ScannerDb>> {
  opening ??= openDB<ScannerDb>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('snapshots', { keyPath: 'eventId' });
      const scans = db.createObjectStore('scans', { keyPath: 'nonce' });
      scans.createIndex('byEventSent', ['eventId', 'sent']);
      db.createObjectStore('settings', { keyPath: 'key' });
    },
  });
  return opening;
}

/** This device's name in scans: made once, kept in IndexedDB. */
export async function deviceIdOf(): Promise<string> {
  const db = await scannerDb();
  const found = await db.get('settings', 'deviceId');
  if (found) return found.value;
  const value = `phone-${crypto.randomUUID().slice(0, 8)}`;
  await db.put('settings', { key: 'deviceId', value });
  return value;
}

export async function storedSnapshot(eventId: string): Promise<StoredSnapshot | undefined> {
  return (await scannerDb()).get('snapshots', eventId);
}

export async function storeSnapshot(eventId: string, snapshot: CheckinSnapshot): Promise<void> {
  await (await scannerDb()).put('snapshots', { eventId, snapshot, loadedAt: new Date().toISOString() });
}

export async function scansOf(eventId: string): Promise<StoredScan[]> {
  const db = await scannerDb();
  const all = await db.getAll('scans');
  return all.filter((s) => s.eventId === eventId).sort((a, b) => a.scannedAt.localeCompare(b.scannedAt));
}

export async function queuedScans(eventId: string, limit: number): Promise<StoredScan[]> {
  const db = await scannerDb();
  const queued = await db.getAllFromIndex('scans', 'byEventSent', [eventId, 0]);
  return queued.sort((a, b) => a.scannedAt.localeCompare(b.scannedAt)).slice(0, limit);
}

export async function putScan(scan: StoredScan): Promise<void> {
  await (await scannerDb()).put('scans', scan);
}

/** Records the server's answers; a scan already answered keeps its first record. */
export async function markAnswered(answers: ScanAnswer[]): Promise<void> {
  const db = await scannerDb();
  const tx = db.transaction('scans', 'readwrite');
  for (const answer of answers) {
    const scan = await tx.store.get(answer.nonce);
    if (!scan) continue;
    await tx.store.put({ ...scan, sent: 1, server: { result: answer.result, admittedAt: answer.admittedAt, admittedBy: answer.admittedBy } });
  }
  await tx.done;
}

// ---- a door device's token, and forgetting what the scanner kept ----

const tokenKey = (eventId: string) => `deviceToken:${eventId}`;

/** The door device token this phone was given for an event (`evd_…`, from the scanner link's fragment). */
export async function storedDeviceToken(eventId: string): Promise<string | null> {
  return (await (await scannerDb()).get('settings', tokenKey(eventId)))?.value ?? null;
}

export async function storeDeviceToken(eventId: string, token: string): Promise<void> {
  await (await scannerDb()).put('settings', { key: tokenKey(eventId), value: token });
}

/** The events this phone holds scans for, with how many of them wait to be sent. */
export async function queuedByEvent(): Promise<Map<string, number>> {
  const all = await (await scannerDb()).getAll('scans');
  const counts = new Map<string, number>();
  for (const scan of all) counts.set(scan.eventId, (counts.get(scan.eventId) ?? 0) + (scan.sent === 0 ? 1 : 0));
  return counts;
}

/** Forgets one event: its snapshot (the guests' names), its scans, sent or not, and its device token. */
export async function forgetEvent(eventId: string): Promise<void> {
  const db = await scannerDb();
  const tx = db.transaction(['snapshots', 'scans', 'settings'], 'readwrite');
  await tx.objectStore('snapshots').delete(eventId);
  const scans = tx.objectStore('scans');
  for (const nonce of await scans.getAllKeys()) {
    const scan = await scans.get(nonce);
    if (scan?.eventId === eventId) await scans.delete(nonce);
  }
  await tx.objectStore('settings').delete(tokenKey(eventId));
  await tx.done;
}

/** Forgets every event (signing out): snapshots, scans and device tokens; the phone's own name stays. */
export async function forgetAll(): Promise<void> {
  const db = await scannerDb();
  const tx = db.transaction(['snapshots', 'scans', 'settings'], 'readwrite');
  await tx.objectStore('snapshots').clear();
  await tx.objectStore('scans').clear();
  const settings = tx.objectStore('settings');
  for (const key of await settings.getAllKeys()) {
    if (key.startsWith('deviceToken:')) await settings.delete(key);
  }
  await tx.done;
}
