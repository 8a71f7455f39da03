// Reads an iCalendar file the way a calendar client does, with ical.js
// (Mozilla's parser, as in Thunderbird): each TZID is resolved through the
// VTIMEZONE components of the same file only, never the machine's zone data,
// so a wrong wall-clock time or a missing VTIMEZONE shows up as a wrong instant.
import ICAL from 'ical.js';

export type IcsEvent = {
  uid: string;
  sequence: number;
  summary: string;
  status: string | null;
  /** The TZID parameter of DTSTART, null for a UTC time (…Z). */
  tzid: string | null;
  /** DTSTART's value as written: "2026-12-16T13:10:00". */
  startWall: string;
  start: Date;
  end: Date;
  stamp: string;
};

export type IcsFile = { events: IcsEvent[]; vtimezones: string[] };

export function readIcs(text: string): IcsFile {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vtimezones = calendar.getAllSubcomponents('vtimezone');
  const zones = new Map<string, ICAL.Timezone>();
  for (const component of vtimezones) {
    const zone = new ICAL.Timezone(component);
    zones.set(zone.tzid, zone);
  }
  const events = calendar.getAllSubcomponents('vevent').map((component): IcsEvent => {
    const tzid = component.getFirstProperty('dtstart')?.getParameter('tzid');
    const instant = (name: 'dtstart' | 'dtend'): Date => {
      const property = component.getFirstProperty(name);
      const value = property?.getFirstValue();
      if (!(value instanceof ICAL.Time)) throw new Error(`${name} is missing`);
      const paramZone = property?.getParameter('tzid');
      if (typeof paramZone === 'string') {
        const zone = zones.get(paramZone);
        if (!zone) throw new Error(`TZID=${paramZone} has no VTIMEZONE in the file`);
        value.zone = zone;
      } else if (value.zone?.tzid !== 'UTC') {
        throw new Error(`${name} is a floating time (no TZID and no Z)`);
      }
      return value.toJSDate();
    };
    const start = component.getFirstPropertyValue('dtstart');
    const stamp = component.getFirstProperty('dtstamp');
    return {
      uid: String(component.getFirstPropertyValue('uid')),
      sequence: Number(component.getFirstPropertyValue('sequence')),
      summary: String(component.getFirstPropertyValue('summary')),
      status: (component.getFirstPropertyValue('status') as string | null) ?? null,
      tzid: typeof tzid === 'string' ? tzid : null,
      startWall: start instanceof ICAL.Time ? start.toString().replace(/Z$/, '') : '',
      start: instant('dtstart'),
      end: instant('dtend'),
      stamp: stamp ? String(stamp.toICALString()) : '',
    };
  });
  return { events, vtimezones: vtimezones.map((c) => String(c.getFirstPropertyValue('tzid'))) };
}
