// Wall-clock times in an IANA zone ↔ instants, with Intl only. A datetime-local
// input gives "YYYY-MM-DDTHH:mm" with no zone; the event's zone gives it one.

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

export function isWallTime(value: string): boolean {
  return WALL_TIME.test(value);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

type WallParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function wallPartsAt(instant: number, zone: string): WallParts {
  const parts: Record<string, number> = {};
  for (const part of partsFormatter(zone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** How far the zone's wall clock is ahead of UTC at that instant, in ms. */
function zoneOffsetMs(instant: number, zone: string): number {
  const p = wallPartsAt(instant, zone);
  const wallAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wallAsUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The instant at which the zone's clocks show `wall`. In a gap (spring forward)
 * the time is read with the offset from before the change, so it lands after
 * the gap; in an overlap the earlier instant wins.
 */
export function wallTimeToInstant(wall: string, zone: string): Date | null {
  const match = WALL_TIME.exec(wall);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const naive = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  const before = zoneOffsetMs(naive - 86_400_000, zone);
  const after = zoneOffsetMs(naive + 86_400_000, zone);
  const candidates = [naive - before, naive - after].filter((instant) => {
    const p = wallPartsAt(instant, zone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) === naive;
  });
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  return new Date(naive - before);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "YYYY-MM-DDTHH:mm" as the zone's clocks show it at that instant. */
export function instantToWallTime(instant: Date | string, zone: string): string {
  const time = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  const p = wallPartsAt(time, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

// ICU (and so Chromium) still lists some zones under their old names; people
// and the IANA database use the new ones.
const CURRENT_NAMES: Record<string, string> = {
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
};

function currentName(zone: string): string {
  return CURRENT_NAMES[zone] ?? zone;
}

/** The browser's zone, or UTC where it can't be told. */
export function browserTimeZone(): string {
  try {
    return currentName(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  } catch {
    return 'UTC';
  }
}

/** Every zone the runtime knows, under current names, with `include` added if missing. */
export function timeZoneOptions(include: string[] = []): string[] {
  const supported = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const all = new Set([...supported.map(currentName), 'UTC', ...include.filter(Boolean)]);
  return [...all].sort((a, b) => a.localeCompare(b));
}
