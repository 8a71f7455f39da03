// Signing out forgets the door scanner's data on this browser (docs/api.md,
// "Teams, roles and door devices"): the snapshots (guests' names), the scans,
// sent or queued, and any door device token. What is still queued is sent
// first; what cannot be sent (offline) is counted, and the one signing out is
// told that many scans would be lost before they confirm. Never silently.
import { sendQueued, type ScannerAuth } from './scan-sender';
import { deviceIdOf, forgetAll, queuedByEvent, storedDeviceToken } from './scanner-store';

const DB_NAME = 'door-scanner';

/** Whether this browser ever kept scanner data (without creating the database to find out). */
async function hasScannerData(): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  if (typeof indexedDB.databases !== 'function') return true;
  const names = await indexedDB.databases();
  return names.some((db) => db.name === DB_NAME);
}

/** Sends every event's queued scans; the number still queued after (0: nothing would be lost). */
export async function sendBeforeSignOut(): Promise<number> {
  if (!(await hasScannerData())) return 0;
  const deviceId = await deviceIdOf();
  for (const [eventId, queued] of await queuedByEvent()) {
    if (queued === 0) continue;
    const token = await storedDeviceToken(eventId);
    const auth: ScannerAuth = token ? { kind: 'device', token } : { kind: 'session' };
    await sendQueued(eventId, deviceId, auth);
  }
  let unsent = 0;
  for (const queued of (await queuedByEvent()).values()) unsent += queued;
  return unsent;
}

/** Forgets it all: called once nothing is queued, or once the user accepted losing what is. */
export async function forgetScannerData(): Promise<void> {
  if (await hasScannerData()) await forgetAll();
}
