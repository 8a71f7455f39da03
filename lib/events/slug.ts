// Slugs of events: the title transliterated to lower-case ASCII words
// (@sindresorhus/slugify: `Встреча в Москве` → `vstrecha-v-moskve`) and 12
// random hex characters, so two events with one title never collide in
// practice (the unique index events_slug_key is the guarantee). A title with
// nothing to transliterate (emoji only, a script the library has no table
// for) gets the stem `event`, never an empty one. A slug is chosen once, on
// create, and never changes (a database trigger refuses updates).
import { randomBytes } from 'node:crypto';
import slugify from '@sindresorhus/slugify';

const BASE_MAX = 40;

export function slugBase(title: string): string {
  const base = slugify(title).slice(0, BASE_MAX).replace(/^-+|-+$/g, '');
  // The database's CHECK (events_slug_format) takes only these; the library's output already is, this keeps it so.
  return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(base) ? base : 'event';
}

export function newEventSlug(title: string): string {
  return `${slugBase(title)}-${randomBytes(6).toString('hex')}`;
}

/** The shape every slug has (the CHECK events_slug_format): a path segment that is not one needs no lookup. */
export function isSlug(value: string | undefined): value is string {
  return typeof value === 'string' && value.length <= 80 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(value);
}
