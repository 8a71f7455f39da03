/** "1 Mar 2027, 18:00 – 21:30" on the clocks of the event's own zone. */
export function formatEventRange(startsAt: string, endsAt: string, timeZone: string, locale: string): string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  return format.formatRange(new Date(startsAt), new Date(endsAt));
}

/** "1 Mar 2027, 18:00": one instant on the clocks of the event's own zone. */
export function formatEventTime(at: string, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(at));
}

/** "Asia/Kathmandu (GMT+5:45)": the zone named, with its offset on that date. */
export function formatZone(timeZone: string, at: string, locale: string): string {
  const offset = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(new Date(at))
    .find((part) => part.type === 'timeZoneName')?.value;
  const name = timeZone.replaceAll('_', ' ');
  return offset && offset !== name ? `${name} (${offset})` : name;
}
