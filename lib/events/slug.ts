// Slugs of events: the title in lower-case ASCII words and 12 random hex
// characters, so two events with one title never collide in practice (the
// unique index events_slug_key is the guarantee). A slug is chosen once, on
// create, and never changes (a database trigger refuses updates).
import { randomBytes } from 'node:crypto';

const BASE_MAX = 40;

export function slugBase(title: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, BASE_MAX)
    .replace(/^-+|-+$/g, '');
  return base || 'event';
}

export function newEventSlug(title: string): string {
  return `${slugBase(title)}-${randomBytes(6).toString('hex')}`;
}

/** The shape every slug has (the CHECK events_slug_format): a path segment that is not one needs no lookup. */
export function isSlug(value: string | undefined): value is string {
  return typeof value === 'string' && value.length <= 80 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(value);
}
