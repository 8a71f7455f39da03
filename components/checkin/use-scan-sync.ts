// The scanner's offline queue and what the device knows: the event's snapshot
// (from IndexedDB at once, then from the network), the admissions seen here,
// and the scans stored before they are sent. Queued scans go out in batches of
// up to 500 whenever the network is there: after each scan, when the browser
// comes back online, every SYNC_EVERY_MS, and soon after a failed send.
// A door device (auth `device`) that the server answers 401 was revoked: the
// phone forgets the event at once (snapshot, scans, token), and the scans that
// could not be sent are shown as lost, with their count (docs/api.md).
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import type { CheckinSnapshot } from '@/lib/checkin/schemas';
import { authHeaders, sendQueued, type ScannerAuth } from './scan-sender';
import { deviceIdOf, forgetEvent, putScan, scansOf, storedSnapshot, storeSnapshot, type StoredScan } from './scanner-store';
import { admissionsOf, indexSnapshot, judge, type TicketIndex, type Verdict } from './verdict';

export type Phase = 'loading' | 'ready' | 'no-snapshot' | 'revoked';

const SESSION: ScannerAuth = { kind: 'session' };
const SYNC_EVERY_MS = 15_000;
/** After a failed send (no answer, a 5xx), the next try comes this soon while online. */
const RETRY_AFTER_FAILURE_MS = 3_000;
const SNAPSHOT_EVERY_MS = 60_000;
/** The recent scans the scanner lists, newest first. */
const HISTORY_LENGTH = 8;

export type ScanSync = {
  phase: Phase;
  ticketCount: number;
  snapshotFailed: boolean;
  deviceId: string | null;
  online: boolean;
  /** Scans stored and not yet answered by the server. */
  queued: number;
  sending: boolean;
  sendFailed: boolean;
  /** The server answered 401 to a session: the scans stay queued until the organiser signs in again. */
  signedOut: boolean;
  /** A door device the server answered 401: revoked. The phone forgot the event; `lost` scans could not be sent. */
  revoked: { lost: number } | null;
  /** The event as the snapshot names it. */
  event: CheckinSnapshot['event'] | null;
  history: StoredScan[];
  /** The device's own verdict on a code; null while it has no snapshot. */
  judgeHere(code: string): Promise<Verdict | null>;
  /** Stores a scan (an admission counts for the next verdicts at once) and sends the queue. */
  record(scan: StoredScan): Promise<void>;
  sync(): Promise<void>;
};

export function useScanSync(eventId: string, auth: ScannerAuth = SESSION): ScanSync {
  const [phase, setPhase] = useState<Phase>('loading');
  const [snapshotFailed, setSnapshotFailed] = useState(false);
  const [ticketCount, setTicketCount] = useState(0);
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const [online, setOnline] = useState(true);
  const [queued, setQueued] = useState(0);
  const [sending, setSending] = useState(false);
  const [sendFailed, setSendFailed] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  const [history, setHistory] = useState<StoredScan[]>([]);
  const [revoked, setRevoked] = useState<{ lost: number } | null>(null);
  const [event, setEvent] = useState<CheckinSnapshot['event'] | null>(null);
  const gone = useRef(false);

  const index = useRef<TicketIndex | null>(null);
  const admittedHere = useRef(new Map<string, string>());
  const device = useRef<string | null>(null);
  const syncing = useRef(false);
  const snapshotAt = useRef(0);
  const retryTimer = useRef<number | undefined>(undefined);
  const syncRef = useRef<(() => Promise<void>) | null>(null);

  const refreshLists = useCallback(async () => {
    const all = await scansOf(eventId);
    setQueued(all.filter((s) => s.sent === 0).length);
    setHistory(all.slice(-HISTORY_LENGTH).reverse());
  }, [eventId]);

  const applySnapshot = useCallback((snapshot: CheckinSnapshot) => {
    index.current = indexSnapshot(snapshot);
    setTicketCount(snapshot.tickets.length);
    setEvent(snapshot.event ?? null);
    setPhase('ready');
  }, []);

  /** A revoked device: what is still queued cannot be sent; count it as lost, then forget the event on this phone. */
  const forgetRevoked = useCallback(async () => {
    if (gone.current) return;
    gone.current = true;
    const lost = (await scansOf(eventId)).filter((s) => s.sent === 0).length;
    await forgetEvent(eventId);
    index.current = null;
    admittedHere.current.clear();
    setRevoked({ lost });
    setPhase('revoked');
    setQueued(0);
    setHistory([]);
    setTicketCount(0);
  }, [eventId]);

  const loadSnapshot = useCallback(async () => {
    const res = await apiCall(apiRoute('GET', '/api/events/[id]/check-in/snapshot'), { params: { id: eventId }, headers: authHeaders(auth), timeoutMs: 20_000 });
    if (gone.current) return false;
    if (!res.ok) {
      if (res.status === 401 && auth.kind === 'device') await forgetRevoked();
      else setSnapshotFailed(true);
      return false;
    }
    snapshotAt.current = Date.now();
    setSnapshotFailed(false);
    await storeSnapshot(eventId, res.data);
    if (gone.current) {
      // Revoked while this answer was on its way: what it stored goes too.
      await forgetEvent(eventId);
      return false;
    }
    applySnapshot(res.data);
    return true;
  }, [eventId, auth, applySnapshot, forgetRevoked]);

  const sync = useCallback(async () => {
    const me = device.current;
    if (syncing.current || !me || gone.current) return;
    syncing.current = true;
    setSending(true);
    let sentAny = false;
    try {
      const outcome = await sendQueued(eventId, me, auth, async (answers) => {
        for (const answer of answers) {
          if (answer.ticket && answer.admittedAt) admittedHere.current.set(answer.ticket.id, answer.admittedAt);
        }
        await refreshLists();
      });
      if (outcome.kind === 'unauthorized' && auth.kind === 'device') {
        await forgetRevoked();
        return;
      }
      if (outcome.kind === 'unauthorized') {
        // Nothing to retry until the organiser signs in again; the scans stay queued.
        setSignedOut(true);
      } else if (outcome.kind === 'failed') {
        setSendFailed(true);
        window.clearTimeout(retryTimer.current);
        retryTimer.current = window.setTimeout(() => {
          if (navigator.onLine) void syncRef.current?.();
        }, RETRY_AFTER_FAILURE_MS);
      } else {
        sentAny = outcome.sentAny;
        if (sentAny) {
          setSendFailed(false);
          setSignedOut(false);
        }
      }
    } finally {
      syncing.current = false;
      setSending(false);
      if (!gone.current) await refreshLists();
    }
    // What the other devices admitted meanwhile, for the next offline verdicts.
    if (sentAny && Date.now() - snapshotAt.current > SNAPSHOT_EVERY_MS) await loadSnapshot();
  }, [eventId, auth, loadSnapshot, refreshLists, forgetRevoked]);

  useEffect(() => {
    syncRef.current = sync;
    return () => window.clearTimeout(retryTimer.current);
  }, [sync]);

  const judgeHere = useCallback(async (code: string) => {
    const current = index.current;
    return current ? judge(eventId, code, current, admittedHere.current) : null;
  }, [eventId]);

  const record = useCallback(
    async (scan: StoredScan) => {
      if (gone.current) return;
      if (scan.verdict === 'admitted' && scan.ticketId) admittedHere.current.set(scan.ticketId, scan.scannedAt);
      await putScan(scan);
      await refreshLists();
      void sync();
    },
    [refreshLists, sync],
  );

  // Load: the device's name, the stored snapshot and scans, then the network's snapshot.
  useEffect(() => {
    let live = true;
    setOnline(navigator.onLine);
    (async () => {
      device.current = await deviceIdOf();
      if (!live) return;
      setDeviceId(device.current);
      for (const [ticketId, at] of admissionsOf(await scansOf(eventId))) admittedHere.current.set(ticketId, at);
      const stored = await storedSnapshot(eventId);
      if (stored) applySnapshot(stored.snapshot);
      await refreshLists();
      const loaded = navigator.onLine ? await loadSnapshot() : false;
      if (!stored && !loaded && !gone.current) setPhase('no-snapshot');
      void sync();
    })();
    return () => {
      live = false;
    };
  }, [eventId, loadSnapshot, refreshLists, sync, applySnapshot]);

  // Send whenever the network comes back, and every little while.
  useEffect(() => {
    const goOnline = () => {
      setOnline(true);
      void sync();
    };
    const goOffline = () => setOnline(false);
    window.addEventListener('online', goOnline);
    window.addEventListener('offline', goOffline);
    const timer = window.setInterval(() => {
      if (navigator.onLine) void sync();
    }, SYNC_EVERY_MS);
    return () => {
      window.removeEventListener('online', goOnline);
      window.removeEventListener('offline', goOffline);
      window.clearInterval(timer);
    };
  }, [sync]);

  return { phase, ticketCount, snapshotFailed, deviceId, online, queued, sending, sendFailed, signedOut, revoked, event, history, judgeHere, record, sync };
}
