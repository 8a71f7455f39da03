'use client';
// The door scanner (/events/:id/scan, docs/api.md "Door check-in"), made for a
// phone: the camera reads QR codes (BarcodeDetector where the browser has it,
// jsQR on a canvas elsewhere), or a code is typed; each scan is answered at
// once from the snapshot on the device, stored with its nonce in IndexedDB,
// and sent in batches of up to 500 whenever the network is there. A service
// worker (public/scan-sw.js) keeps the page itself for offline loads.
import jsQR from 'jsqr';
import { useLocale, useTranslations } from 'next-intl';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { apiRequest } from '@/lib/actions/api-client';
import { MAX_SCANS_PER_BATCH, SCANNED_CODE_MAX, type CheckinSnapshot, type ScanAnswer } from '@/lib/checkin/schemas';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { cx } from '@/components/ui/cx';
import { Input } from '@/components/ui/input';
import {
  deviceIdOf,
  markAnswered,
  putScan,
  queuedScans,
  scansOf,
  storedSnapshot,
  storeSnapshot,
  type LocalVerdict,
  type StoredScan,
} from './scanner-store';
import { indexSnapshot, judge, type TicketIndex } from './verdict';

type Props = { eventId: string; eventTitle: string; timezone: string };

type Phase = 'loading' | 'ready' | 'no-snapshot';
type Camera = 'off' | 'starting' | 'on' | 'unavailable' | 'denied';
type Shown = { nonce: string; verdict: LocalVerdict; name: string | null; admittedAt: string | null };

type Detector = { detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> };
type DetectorClass = (new (options: { formats: string[] }) => Detector) & { getSupportedFormats?: () => Promise<string[]> };

/**
 * The camera sees a code many times a second: a code read again less than this
 * long after it was last in view is the same scan. Shown again after it left
 * the frame for longer, it is a new scan (and told already admitted). A code
 * typed twice within it (a double tap on Check) is one scan too.
 */
const SAME_CODE_MS = 5_000;
const SYNC_EVERY_MS = 15_000;
/** After a failed send (no answer, a 5xx), the next try comes this soon while online. */
const RETRY_AFTER_FAILURE_MS = 3_000;
const SNAPSHOT_EVERY_MS = 60_000;
const FRAME_MS = 150;

const TONE: Record<LocalVerdict, 'green' | 'amber' | 'red'> = {
  admitted: 'green',
  already_admitted: 'amber',
  conflict: 'amber',
  cancelled: 'red',
  unknown: 'red',
  forged: 'red',
};

const PANEL: Record<'green' | 'amber' | 'red', string> = {
  green: 'bg-emerald-700 text-white',
  amber: 'bg-amber-400 text-slate-950',
  red: 'bg-red-700 text-white',
};

async function barcodeDetector(): Promise<Detector | null> {
  const Found = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (!Found) return null;
  try {
    const formats = (await Found.getSupportedFormats?.()) ?? [];
    return formats.includes('qr_code') ? new Found({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

/** A short tone: one high for admitted, two low for anything else. Only after a tap has allowed sound. */
function signal(audio: AudioContext | null, tone: 'green' | 'amber' | 'red'): void {
  navigator.vibrate?.(tone === 'green' ? 120 : [200, 100, 200]);
  if (!audio) return;
  const beeps = tone === 'green' ? [0] : [0, 0.22];
  for (const start of beeps) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = tone === 'green' ? 1320 : 330;
    gain.gain.value = 0.15;
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(audio.currentTime + start);
    oscillator.stop(audio.currentTime + start + 0.15);
  }
}

export function Scanner({ eventId, eventTitle, timezone }: Props) {
  const t = useTranslations('checkin.scanner');
  const locale = useLocale();
  const [phase, setPhase] = useState<Phase>('loading');
  const [snapshotFailed, setSnapshotFailed] = useState(false);
  const [ticketCount, setTicketCount] = useState(0);
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const [online, setOnline] = useState(true);
  const [queued, setQueued] = useState(0);
  const [sending, setSending] = useState(false);
  const [sendFailed, setSendFailed] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  const [history, setHistory] = useState<StoredScan[]>([]);
  const [camera, setCamera] = useState<Camera>('off');
  const [offlineReady, setOfflineReady] = useState(false);
  const [manual, setManual] = useState('');

  const index = useRef<TicketIndex | null>(null);
  const admittedHere = useRef(new Map<string, string>());
  const device = useRef<string | null>(null);
  const sightings = useRef(new Map<string, number>());
  const chain = useRef<Promise<void>>(Promise.resolve());
  const syncing = useRef(false);
  const snapshotAt = useRef(0);
  const retryTimer = useRef<number | undefined>(undefined);
  const syncRef = useRef<(() => Promise<void>) | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const audio = useRef<AudioContext | null>(null);

  const format = useCallback(
    (iso: string) => new Intl.DateTimeFormat(locale, { timeStyle: 'medium', timeZone: timezone }).format(new Date(iso)),
    [locale, timezone],
  );

  const refreshLists = useCallback(async () => {
    const all = await scansOf(eventId);
    setQueued(all.filter((s) => s.sent === 0).length);
    setHistory(all.slice(-8).reverse());
    setShown((current) => {
      if (!current) return current;
      const again = all.find((s) => s.nonce === current.nonce);
      return again?.server ? { ...current } : current;
    });
  }, [eventId]);

  const applySnapshot = useCallback((snapshot: CheckinSnapshot) => {
    index.current = indexSnapshot(snapshot);
    setTicketCount(snapshot.tickets.length);
    setPhase('ready');
  }, []);

  const loadSnapshot = useCallback(async () => {
    const res = await apiRequest<CheckinSnapshot>({ method: 'GET', url: `/api/events/${eventId}/check-in/snapshot`, timeoutMs: 20_000 });
    if (!res.ok) {
      setSnapshotFailed(true);
      return false;
    }
    snapshotAt.current = Date.now();
    setSnapshotFailed(false);
    await storeSnapshot(eventId, res.data);
    applySnapshot(res.data);
    return true;
  }, [eventId, applySnapshot]);

  const sync = useCallback(async () => {
    const me = device.current;
    if (syncing.current || !me) return;
    syncing.current = true;
    setSending(true);
    let sentAny = false;
    try {
      for (;;) {
        const batch = await queuedScans(eventId, MAX_SCANS_PER_BATCH);
        if (batch.length === 0) break;
        const res = await apiRequest<{ results: ScanAnswer[] }>({
          method: 'POST',
          url: `/api/events/${eventId}/check-in/scans`,
          body: { deviceId: me, scans: batch.map((s) => ({ nonce: s.nonce, code: s.code, scannedAt: s.scannedAt })) },
          // Each send is its own request: the nonces make a resent scan harmless.
          correlationId: crypto.randomUUID(),
          timeoutMs: 30_000,
        });
        if (!res.ok && res.status === 401) {
          // Nothing to retry until the organiser signs in again; the scans stay queued.
          setSignedOut(true);
          break;
        }
        if (!res.ok) {
          setSendFailed(true);
          window.clearTimeout(retryTimer.current);
          retryTimer.current = window.setTimeout(() => {
            if (navigator.onLine) void syncRef.current?.();
          }, RETRY_AFTER_FAILURE_MS);
          break;
        }
        setSendFailed(false);
        setSignedOut(false);
        sentAny = true;
        await markAnswered(res.data.results);
        for (const answer of res.data.results) {
          if (answer.ticket && answer.admittedAt) admittedHere.current.set(answer.ticket.id, answer.admittedAt);
        }
        await refreshLists();
      }
    } finally {
      syncing.current = false;
      setSending(false);
      await refreshLists();
    }
    // What the other devices admitted meanwhile, for the next offline verdicts.
    if (sentAny && Date.now() - snapshotAt.current > SNAPSHOT_EVERY_MS) await loadSnapshot();
  }, [eventId, loadSnapshot, refreshLists]);

  useEffect(() => {
    syncRef.current = sync;
    return () => window.clearTimeout(retryTimer.current);
  }, [sync]);

  const scan = useCallback(
    (raw: string) => {
      const code = raw.trim().slice(0, SCANNED_CODE_MAX);
      if (!code) return;
      const now = Date.now();
      const last = sightings.current.get(code);
      sightings.current.set(code, now);
      if (last !== undefined && now - last < SAME_CODE_MS) return;
      chain.current = chain.current.then(async () => {
        const current = index.current;
        if (!current) return;
        const scannedAt = new Date().toISOString();
        const verdict = await judge(eventId, code, current, admittedHere.current);
        if (verdict.verdict === 'admitted' && verdict.ticket) admittedHere.current.set(verdict.ticket.id, scannedAt);
        const stored: StoredScan = {
          nonce: crypto.randomUUID(),
          eventId,
          code,
          scannedAt,
          verdict: verdict.verdict,
          ticketId: verdict.ticket?.id ?? null,
          name: verdict.ticket?.name ?? null,
          sent: 0,
          server: null,
        };
        setShown({ nonce: stored.nonce, verdict: verdict.verdict, name: stored.name, admittedAt: verdict.admittedAt });
        signal(audio.current, TONE[verdict.verdict]);
        await putScan(stored);
        await refreshLists();
        void sync();
      });
    },
    [eventId, refreshLists, sync],
  );

  // Load: the device's name, the stored snapshot and scans, then the network's snapshot.
  useEffect(() => {
    let live = true;
    setOnline(navigator.onLine);
    (async () => {
      device.current = await deviceIdOf();
      if (!live) return;
      setDeviceId(device.current);
      for (const s of await scansOf(eventId)) {
        const at = s.server?.admittedAt ?? (s.verdict === 'admitted' ? s.scannedAt : null);
        if (s.ticketId && at) admittedHere.current.set(s.ticketId, at);
      }
      const stored = await storedSnapshot(eventId);
      if (stored) applySnapshot(stored.snapshot);
      await refreshLists();
      const loaded = navigator.onLine ? await loadSnapshot() : false;
      if (!stored && !loaded) setPhase('no-snapshot');
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

  // The service worker keeps this page and its files for offline loads.
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const onMessage = (event: MessageEvent<{ type?: string }>) => {
      if (event.data?.type === 'cached') setOfflineReady(true);
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    navigator.serviceWorker.startMessages();
    (async () => {
      try {
        await navigator.serviceWorker.register('/scan-sw.js', { scope: `/events/${eventId}/scan` });
        const registration = await navigator.serviceWorker.ready;
        const files = [
          window.location.href,
          ...Array.from(document.querySelectorAll<HTMLScriptElement>('script[src]'), (s) => s.src),
          ...Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"], link[rel="preload"], link[rel="modulepreload"]'), (l) => l.href),
          ...performance.getEntriesByType('resource').map((e) => e.name).filter((name) => name.includes('/_next/static/')),
        ];
        registration.active?.postMessage({ type: 'cache-urls', urls: [...new Set(files)] });
      } catch {
        // No service worker (private mode, an old browser): the page still works while it stays open.
      }
    })();
    return () => navigator.serviceWorker.removeEventListener('message', onMessage);
  }, [eventId]);

  const stopCamera = useCallback(() => {
    for (const track of stream.current?.getTracks() ?? []) track.stop();
    stream.current = null;
    if (video.current) video.current.srcObject = null;
    setCamera('off');
  }, []);

  useEffect(() => stopCamera, [stopCamera]);

  function unlockSound() {
    if (audio.current || typeof AudioContext === 'undefined') return;
    try {
      audio.current = new AudioContext();
    } catch {
      audio.current = null;
    }
  }

  async function startCamera() {
    unlockSound();
    if (!navigator.mediaDevices?.getUserMedia) {
      setCamera('unavailable');
      return;
    }
    setCamera('starting');
    try {
      stream.current = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
    } catch (error) {
      setCamera(error instanceof DOMException && error.name === 'NotAllowedError' ? 'denied' : 'unavailable');
      return;
    }
    const element = video.current;
    if (!element) return;
    element.srcObject = stream.current;
    await element.play().catch(() => undefined);
    setCamera('on');
    const detector = await barcodeDetector();
    const read = async () => {
      if (!stream.current) return;
      if (element.readyState >= 2 && element.videoWidth > 0) {
        try {
          if (detector) {
            const [found] = await detector.detect(element);
            if (found?.rawValue) scan(found.rawValue);
          } else {
            const scale = Math.min(1, 640 / element.videoWidth);
            const width = Math.round(element.videoWidth * scale);
            const height = Math.round(element.videoHeight * scale);
            canvas.current ??= document.createElement('canvas');
            canvas.current.width = width;
            canvas.current.height = height;
            const context = canvas.current.getContext('2d', { willReadFrequently: true });
            if (context) {
              context.drawImage(element, 0, 0, width, height);
              const found = jsQR(context.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: 'dontInvert' });
              if (found?.data) scan(found.data);
            }
          }
        } catch {
          // A frame that could not be read: the next one will be.
        }
      }
      window.setTimeout(read, FRAME_MS);
    };
    void read();
  }

  function submitManual(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    unlockSound();
    scan(manual);
    setManual('');
    document.getElementById('scanner-manual')?.focus();
  }

  const current = shown ? history.find((s) => s.nonce === shown.nonce) : undefined;
  const tone = shown ? TONE[shown.verdict] : null;

  return (
    <div
      className="mx-auto flex w-full max-w-md flex-col gap-4"
      data-testid="scanner"
      data-phase={phase}
      data-queued={queued}
      data-online={online}
      data-offline-ready={offlineReady}
      data-device-id={deviceId ?? ''}
    >
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
        <p className="break-words text-slate-700">{t('event', { event: eventTitle })}</p>
        <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
          <span className={cx('inline-flex items-center gap-1.5 font-medium', online ? 'text-emerald-700' : 'text-amber-800')} data-testid="scanner-network">
            <span aria-hidden="true" className={cx('size-2 rounded-full', online ? 'bg-emerald-600' : 'bg-amber-500')} />
            {online ? t('online') : t('offline')}
          </span>
          {phase === 'ready' && <span className="text-slate-600">{t('tickets', { count: ticketCount })}</span>}
          {deviceId && <span className="text-slate-500">{deviceId}</span>}
        </p>
      </header>

      <section
        aria-live="assertive"
        aria-atomic="true"
        className={cx('flex min-h-36 flex-col justify-center rounded-2xl px-5 py-4 shadow-sm', tone ? PANEL[tone] : 'bg-white ring-1 ring-slate-200')}
        data-testid="scan-result"
        data-verdict={shown?.verdict ?? ''}
        data-server-result={current?.server?.result ?? ''}
      >
        {shown ? (
          <>
            <p className="text-3xl font-bold">{t(`result.${shown.verdict}`)}</p>
            {shown.name && (
              <p className="mt-1 break-words text-2xl font-semibold" data-testid="scan-result-name">
                {shown.name}
              </p>
            )}
            <p className="mt-1 text-base">
              {shown.verdict === 'admitted' && t('detail.admitted', { name: shown.name ?? '' })}
              {shown.verdict === 'already_admitted' && t('detail.already_admitted', { name: shown.name ?? '', time: shown.admittedAt ? format(shown.admittedAt) : '' })}
              {shown.verdict === 'cancelled' && t('detail.cancelled', { name: shown.name ?? '' })}
              {shown.verdict === 'unknown' && t('detail.unknown')}
              {shown.verdict === 'forged' && t('detail.forged')}
            </p>
            {current?.server && current.server.result !== shown.verdict && (
              <p className="mt-2 text-sm font-medium" data-testid="scan-result-server">
                {t('serverSaid', { result: t(`result.${current.server.result}`) })}
              </p>
            )}
          </>
        ) : (
          <p className="text-xl font-medium text-slate-700">{phase === 'loading' ? t('loading') : t('ready')}</p>
        )}
      </section>

      {phase === 'no-snapshot' && (
        <Alert tone="warning" testId="scanner-no-snapshot">
          {t('noSnapshot')}
        </Alert>
      )}
      {snapshotFailed && phase !== 'no-snapshot' && online && <Alert tone="warning">{t('snapshotFailed')}</Alert>}

      <Card className="flex flex-col gap-3">
        <div className="flex items-center justify-between gap-3">
          <p className="font-medium" data-testid="scanner-queue">
            {sending ? t('sending') : t('queued', { count: queued })}
          </p>
          <Button variant="secondary" size="sm" onClick={() => void sync()} disabled={queued === 0 || sending || !online} busy={sending}>
            {t('sendNow')}
          </Button>
        </div>
        {sendFailed && online && !signedOut && <p className="text-sm text-amber-800">{t('sendFailed')}</p>}
        {signedOut && (
          <Alert tone="warning" testId="scanner-signed-out">
            {t('signedOut')}{' '}
            <a href={`/sign-in?next=${encodeURIComponent(`/events/${eventId}/scan`)}`} className="font-medium underline underline-offset-2">
              {t('signIn')}
            </a>
          </Alert>
        )}
      </Card>

      <Card className="flex flex-col gap-3">
        <CardTitle size="eyebrow">{t('camera')}</CardTitle>
        <video
          ref={video}
          className={cx('aspect-square w-full rounded-xl bg-slate-900 object-cover', camera === 'on' || camera === 'starting' ? 'block' : 'hidden')}
          muted
          playsInline
          aria-label={t('cameraLabel')}
          data-testid="scanner-video"
        />
        {camera === 'unavailable' && <p className="text-sm text-slate-700">{t('cameraUnavailable')}</p>}
        {camera === 'denied' && <p className="text-sm text-slate-700">{t('cameraDenied')}</p>}
        {camera === 'on' || camera === 'starting' ? (
          <Button variant="secondary" onClick={stopCamera}>
            {t('stopCamera')}
          </Button>
        ) : (
          <Button onClick={() => void startCamera()} disabled={phase !== 'ready'} data-testid="scanner-start-camera">
            {t('startCamera')}
          </Button>
        )}
      </Card>

      <Card as="section">
        <form className="flex flex-col gap-2" onSubmit={submitManual}>
          <label htmlFor="scanner-manual" className="text-sm font-medium text-slate-800">
            {t('manualLabel')}
          </label>
          <div className="flex gap-2">
            <Input
              id="scanner-manual"
              value={manual}
              onChange={(e) => setManual(e.target.value)}
              placeholder={t('manualPlaceholder')}
              maxLength={SCANNED_CODE_MAX}
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              className="min-w-0 flex-1 font-mono"
              data-testid="scanner-manual"
            />
            <Button type="submit" disabled={phase !== 'ready' || manual.trim() === ''} data-testid="scanner-check">
              {t('check')}
            </Button>
          </div>
        </form>
      </Card>

      <Card as="section" aria-labelledby="scanner-recent">
        <CardTitle id="scanner-recent" size="eyebrow">
          {t('recent')}
        </CardTitle>
        {history.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">{t('noScans')}</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100" data-testid="scanner-history">
            {history.map((s) => (
              <li key={s.nonce} className="flex items-center justify-between gap-3 py-2 text-sm" data-testid="scanner-history-item" data-verdict={s.verdict} data-server-result={s.server?.result ?? ''}>
                <span className="min-w-0 break-words">
                  <span className="font-medium">{s.name ?? '—'}</span> <span className="text-slate-500">{format(s.scannedAt)}</span>
                </span>
                <span className="shrink-0 text-right">
                  {t(`result.${s.server?.result ?? s.verdict}`)}
                  {s.sent === 0 && <span className="block text-xs text-slate-500">{t('queued', { count: 1 })}</span>}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
