// Sends an event's queued scans in batches of up to 500 (docs/api.md, "Door
// check-in"), as the signed-in organiser or, with a device token, as a door
// device (`Authorization: Bearer evd_…`). Shared by the scanner and by signing
// out, which sends what is queued before it forgets the phone's door data.
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import { MAX_SCANS_PER_BATCH, type ScanAnswer } from '@/lib/checkin/schemas';
import { markAnswered, queuedScans } from './scanner-store';

/** How a scanner authenticates: its browser session, or the door device token it was given. */
export type ScannerAuth = { kind: 'session' } | { kind: 'device'; token: string };

export function authHeaders(auth: ScannerAuth): Record<string, string> | undefined {
  return auth.kind === 'device' ? { Authorization: `Bearer ${auth.token}` } : undefined;
}

/**
 * `sent`: the queue is empty; `failed`: no answer or a refusal worth retrying
 * (the scans stay queued); `unauthorized`: 401, a session that ended or a
 * device that was revoked (nothing will go until that changes).
 */
export type SendOutcome = { kind: 'sent'; sentAny: boolean } | { kind: 'failed' } | { kind: 'unauthorized' };

export async function sendQueued(
  eventId: string,
  deviceId: string,
  auth: ScannerAuth,
  onAnswered?: (answers: ScanAnswer[]) => Promise<void>,
): Promise<SendOutcome> {
  let sentAny = false;
  for (;;) {
    const batch = await queuedScans(eventId, MAX_SCANS_PER_BATCH);
    if (batch.length === 0) return { kind: 'sent', sentAny };
    const res = await apiCall(apiRoute('POST', '/api/events/[id]/check-in/scans'), {
      params: { id: eventId },
      body: { deviceId, scans: batch.map((s) => ({ nonce: s.nonce, code: s.code, scannedAt: s.scannedAt })) },
      headers: authHeaders(auth),
      // Each send is its own request: the nonces make a resent scan harmless.
      correlationId: crypto.randomUUID(),
      timeoutMs: 30_000,
    });
    if (!res.ok) return res.status === 401 ? { kind: 'unauthorized' } : { kind: 'failed' };
    sentAny = true;
    await markAnswered(res.data.results);
    await onAnswered?.(res.data.results);
  }
}
