// From a code read or typed to the answer on screen: a camera's second
// sighting within the same-code window is dropped (a typed code is always
// answered, from what the device knows: "already admitted" the second time);
// scans are judged one after another (each verdict counts the admissions
// before it), shown and signalled at once, then stored and queued for the
// server.
import { useCallback, useRef, useState } from 'react';
import type { LocalVerdict, StoredScan } from './scanner-store';
import type { ScanSync } from './use-scan-sync';
import { scannedCode, sightings } from './verdict';

/** The scan on screen; the server's answer to it is read from the stored scans. */
export type ShownScan = { nonce: string; verdict: LocalVerdict; name: string | null; admittedAt: string | null };

export function useScanPipeline(
  eventId: string,
  { judgeHere, record }: Pick<ScanSync, 'judgeHere' | 'record'>,
  onVerdict: (verdict: LocalVerdict) => void,
): { shown: ShownScan | null; scan(raw: string, source: 'camera' | 'typed'): void } {
  const [shown, setShown] = useState<ShownScan | null>(null);
  const seen = useRef(sightings());
  const chain = useRef<Promise<void>>(Promise.resolve());

  const scan = useCallback(
    (raw: string, source: 'camera' | 'typed') => {
      const code = scannedCode(raw);
      if (!code) return;
      // Every sighting restarts the code's window, a typed one too (the camera then does not count the ticket in view again).
      const isNew = seen.current.isNewScan(code, Date.now());
      if (!isNew && source === 'camera') return;
      chain.current = chain.current.then(async () => {
        const scannedAt = new Date().toISOString();
        const verdict = await judgeHere(code);
        if (!verdict) return;
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
        onVerdict(verdict.verdict);
        await record(stored);
      });
    },
    [eventId, judgeHere, record, onVerdict],
  );

  return { shown, scan };
}
