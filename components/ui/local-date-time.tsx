'use client';
// A moment in the reader's own time zone. The server does not know that zone
// (its own is nobody's), so the server's HTML and the first render say UTC,
// labelled; once hydrated, the browser's zone replaces it.
import { useHydrated } from './use-hydrated';

export function LocalDateTime({ at, locale }: { at: string; locale: string }) {
  const hydrated = useHydrated();
  const format = new Intl.DateTimeFormat(
    locale,
    hydrated ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' },
  );
  return <time dateTime={at}>{hydrated ? format.format(new Date(at)) : `${format.format(new Date(at))} UTC`}</time>;
}
