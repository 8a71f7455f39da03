'use client';
// "3 minutes ago": a moment relative to now, in the reader's language, moved
// on every half minute; the exact time is its tooltip. The server's render and
// the browser's may differ by the seconds between them (not a hydration error).
import { useEffect, useState } from 'react';

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

export function relativeTime(at: Date, now: Date, locale: string): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  let value = (at.getTime() - now.getTime()) / 1000;
  for (const [unit, per] of STEPS) {
    if (Math.abs(value) < per) return format.format(Math.round(value), unit);
    value /= per;
  }
  return format.format(Math.round(value), 'year');
}

export function RelativeTime({ at, locale }: { at: string; locale: string }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  const date = new Date(at);
  return (
    <time dateTime={at} title={date.toLocaleString(locale)} suppressHydrationWarning>
      {relativeTime(date, now, locale)}
    </time>
  );
}
