// The door's wire shapes (docs/api.md, "Door check-in"), shared by the route
// handlers and the scanner page in the browser.
import { z } from '@/lib/zod';
import type { RegistrationStatus, ScanResult } from '@/lib/enums';
import { isDateInRange } from '@/lib/events/schemas';

export const MAX_SCANS_PER_BATCH = 500;
export const DEVICE_ID_MAX = 100;
/** A code is 107 characters; anything typed or read up to this length is judged (unknown), longer is refused. */
export const SCANNED_CODE_MAX = 512;
/** A full batch of 500 scans is about 100 KiB: the scans route reads bodies up to this size. */
export const SCAN_BATCH_BODY_LIMIT_BYTES = 384 * 1024;

export const scanSchema = z.strictObject(
  {
    nonce: z.uuid({ error: 'invalid' }),
    code: z.string({ error: 'required' }).max(SCANNED_CODE_MAX, 'invalid'),
    // 1970 to 9999 (docs/api.md, Abuse limits): Postgres refuses some dates JavaScript takes.
    scannedAt: z.iso.datetime({ offset: true, error: 'invalid' }).refine(isDateInRange, 'invalid'),
  },
  { error: 'invalid' },
);

export const scanBatchSchema = z.strictObject(
  {
    deviceId: z.string({ error: 'required' }).trim().min(1, 'required').max(DEVICE_ID_MAX, 'invalid'),
    scans: z.array(scanSchema, { error: 'invalid' }).min(1, 'invalid').max(MAX_SCANS_PER_BATCH, 'invalid'),
  },
  { error: 'invalid' },
);

export type ScanInput = z.output<typeof scanSchema>;
export type ScanBatch = z.output<typeof scanBatchSchema>;

export type TicketSummary = { id: string; name: string; ticketType: string | null };

export type ScanAnswer = {
  nonce: string;
  result: ScanResult;
  ticket: TicketSummary | null;
  /** When and on which device the ticket's admission was made; null while it has none. */
  admittedAt: string | null;
  admittedBy: string | null;
};

export type SnapshotTicket = {
  id: string;
  codeHash: string;
  /** The ticket's reference (lib/registrations/reference.ts): a device resolves a typed one offline too. */
  reference: string;
  name: string;
  ticketType: string | null;
  status: RegistrationStatus;
  checkedInAt: string | null;
};

export type CheckinSnapshot = {
  version: number;
  tickets: SnapshotTicket[];
  verifyKey: string;
  /** What the scanner shows of the event: a door device's page has no session to read it with. */
  event: { title: string; timezone: string };
};

export type CheckinConflict = {
  scanId: string;
  ticket: TicketSummary;
  admission: { deviceId: string; scannedAt: string };
  conflicting: { deviceId: string; scannedAt: string };
};

export type CheckinSummary = { admitted: number; expected: number; scans: number; conflicts: CheckinConflict[] };

// ---- door devices (docs/api.md, "Teams, roles and door devices") ----

export const DOOR_DEVICE_NAME_MAX = 100;

/** `POST /api/events/:id/door-devices`: a phone at the door, by the name the organiser gives it. */
export const createDoorDeviceSchema = z.strictObject({
  name: z.string({ error: 'required' }).trim().min(1, 'required').max(DOOR_DEVICE_NAME_MAX, 'nameTooLong'),
});
export type CreateDoorDeviceInput = z.input<typeof createDoorDeviceSchema>;

/** A door device as the organiser's API shows it: never its token, which is shown once, at creation. */
export type DoorDeviceDto = { id: string; name: string; createdAt: string; lastSeenAt: string | null };

/** What creating a device answers once: the token and the scanner's address with it (in the fragment, never sent to a server). */
export type DoorDeviceSecret = { token?: string; url?: string };

/** The scanner's page for a door device: public, the token in the fragment (`#device=evd_…`), kept on the phone once opened. */
export function doorScannerPath(eventId: string): string {
  return `/door/${eventId}`;
}
export const DEVICE_FRAGMENT_KEY = 'device';
