// The event form's values, kept for a moment in sessionStorage when the
// organiser follows a link that means to come back (the credit modal's "buy
// credits"), and put back into the form when they return to the same path.
import { LOCATION_TYPES, VISIBILITIES } from '@/lib/enums';
import type { EventFormValues } from '@/lib/events/form';
import { z } from '@/lib/zod';

/** Put on a link (`data-keeps-form`): following it saves the form and skips the unsaved-changes prompt. */
export const KEEPS_FORM_ATTRIBUTE = 'data-keeps-form';
const MAX_AGE_MS = 60 * 60_000;
const keyOf = (path: string) => `event-form-draft:${path}`;

const draftSchema = z.object({
  savedAt: z.number(),
  values: z.object({
    title: z.string().max(1000),
    description: z.string().max(20_000),
    startsAt: z.string().max(64),
    endsAt: z.string().max(64),
    timezone: z.string().max(128),
    location: z.object({ type: z.enum(LOCATION_TYPES), address: z.string().max(2000), url: z.string().max(4000) }),
    maxParticipants: z.string().max(16),
    visibility: z.enum(VISIBILITIES),
    waitlist: z.boolean().default(true),
  }),
});

export function saveFormDraft(path: string, values: EventFormValues): void {
  try {
    window.sessionStorage.setItem(keyOf(path), JSON.stringify({ savedAt: Date.now(), values }));
  } catch {
    // Storage full or disabled: the form is simply not kept.
  }
}

/** The draft saved for this path (once: it is removed), or null. */
export function takeFormDraft(path: string, now = Date.now()): EventFormValues | null {
  try {
    const raw = window.sessionStorage.getItem(keyOf(path));
    if (raw === null) return null;
    window.sessionStorage.removeItem(keyOf(path));
    const parsed = draftSchema.safeParse(JSON.parse(raw));
    if (!parsed.success || now - parsed.data.savedAt > MAX_AGE_MS) return null;
    return parsed.data.values;
  } catch {
    return null;
  }
}
