// The event form's own shape (strings, as inputs hold them; wall times in the
// chosen zone) beside the API's, and the conversions between them. Field rules
// come from ./schemas, so the form and the route agree; messages are keys under
// `validation` in lib/i18n/messages.
import { z } from '@/lib/zod';
import {
  descriptionSchema,
  locationSchema,
  maxParticipantsSchema,
  timezoneSchema,
  titleSchema,
  visibilitySchema,
  type EventDto,
  type UpdateEventInput,
} from './schemas';
import { instantToWallTime, isWallTime, wallTimeToInstant } from './zoned-time';

const wallTimeSchema = z.string().refine(isWallTime, 'dateTime');

const locationFormSchema = z
  .object({
    type: z.enum(['in_person', 'online']),
    address: z.string(),
    url: z.string(),
  })
  .transform((value, ctx) => {
    const candidate =
      value.type === 'online' ? { type: value.type, url: value.url } : { type: value.type, address: value.address };
    const parsed = locationSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
    return z.NEVER;
  });

const maxParticipantsFormSchema = z
  .string()
  .trim()
  .regex(/^\d+$/, 'maxParticipants')
  .transform(Number)
  .pipe(maxParticipantsSchema);

export const eventFormSchema = z
  .object({
    title: titleSchema,
    description: descriptionSchema,
    startsAt: wallTimeSchema,
    endsAt: wallTimeSchema,
    timezone: timezoneSchema,
    location: locationFormSchema,
    maxParticipants: maxParticipantsFormSchema,
    visibility: visibilitySchema,
    waitlist: z.boolean(),
  })
  .superRefine((value, ctx) => {
    // Same zone on both sides, so the wall times compare as strings.
    if (value.endsAt <= value.startsAt) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'endsAfterStarts' });
    }
  });

export type EventFormSchema = typeof eventFormSchema;
export type EventFormValues = z.input<EventFormSchema>;
export type EventFormOutput = z.output<EventFormSchema>;

/** Published events must start in the future (checked on create; the server checks again). */
export function startsInFuture(output: EventFormOutput, now: Date = new Date()): boolean {
  const starts = wallTimeToInstant(output.startsAt, output.timezone);
  return starts !== null && starts.getTime() > now.getTime();
}

export function emptyEventFormValues(timezone: string): EventFormValues {
  return {
    title: '',
    description: '',
    startsAt: '',
    endsAt: '',
    timezone,
    location: { type: 'in_person', address: '', url: '' },
    maxParticipants: '',
    visibility: 'public',
    waitlist: true,
  };
}

function toUtcIso(wall: string, zone: string): string {
  const instant = wallTimeToInstant(wall, zone);
  if (!instant) throw new Error(`not a wall time: ${wall}`);
  return instant.toISOString();
}

/** What the form edits, as the API takes it: a create body, and the source of an edit's patch. */
export type EventBody = Pick<
  EventDto,
  'title' | 'description' | 'startsAt' | 'endsAt' | 'timezone' | 'location' | 'maxParticipants' | 'visibility' | 'waitlist'
>;

/** The API's body from the validated form, times in UTC. */
export function valuesToInput(output: EventFormOutput): EventBody {
  return {
    title: output.title,
    description: output.description,
    startsAt: toUtcIso(output.startsAt, output.timezone),
    endsAt: toUtcIso(output.endsAt, output.timezone),
    timezone: output.timezone,
    location: output.location,
    maxParticipants: output.maxParticipants,
    visibility: output.visibility,
    waitlist: output.waitlist,
  };
}

/** The form's values for an existing event, its times on the clocks of its own zone. */
export function eventToFormValues(event: EventDto): EventFormValues {
  return bodyToFormValues(event);
}

/** The form's values for an event body (an event, or an attempt's saved payload). */
export function bodyToFormValues(event: EventBody): EventFormValues {
  return {
    title: event.title,
    description: event.description,
    startsAt: instantToWallTime(event.startsAt, event.timezone),
    endsAt: instantToWallTime(event.endsAt, event.timezone),
    timezone: event.timezone,
    location:
      event.location.type === 'online'
        ? { type: 'online', address: '', url: event.location.url }
        : { type: 'in_person', address: event.location.address, url: '' },
    maxParticipants: String(event.maxParticipants),
    visibility: event.visibility,
    waitlist: event.waitlist,
  };
}

type PatchableField = keyof EventBody;

/** Only what changed, so an edit never re-sends (and re-validates) untouched fields. */
export function changedFields(before: EventDto, after: EventBody): UpdateEventInput {
  const original: Record<PatchableField, unknown> = {
    title: before.title,
    description: before.description,
    startsAt: before.startsAt,
    endsAt: before.endsAt,
    timezone: before.timezone,
    location: before.location,
    maxParticipants: before.maxParticipants,
    visibility: before.visibility,
    waitlist: before.waitlist,
  };
  const patch: Record<string, unknown> = {};
  for (const field of Object.keys(after) as PatchableField[]) {
    const next = after[field];
    const same =
      field === 'startsAt' || field === 'endsAt'
        ? Date.parse(String(next)) === Date.parse(String(original[field]))
        : JSON.stringify(next) === JSON.stringify(original[field]);
    if (!same) patch[field] = next;
  }
  return patch as UpdateEventInput;
}

/** Server fieldErrors use body paths; the form's location fields are one level deeper for the kind. */
export function formFieldOf(serverField: string, locationType: 'in_person' | 'online'): string {
  if (serverField === 'location' || serverField === 'location.type') {
    return locationType === 'online' ? 'location.url' : 'location.address';
  }
  return serverField;
}
