// The organiser's CSV export (docs/api.md): UTF-8 with a BOM, a header row,
// and cells that a spreadsheet would run as a formula neutralised with `'`.
import type { OrganiserRegistrationDto } from './queries';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const HEADER = ['id', 'name', 'email', 'status', 'position', 'created_at', 'checked_in_at', 'cancelled_at'];

export function registrationsCsv(rows: OrganiserRegistrationDto[]): string {
  const lines = [HEADER.join(',')];
  for (const r of rows) {
    lines.push([r.id, r.name, r.email, r.status, r.position, r.createdAt, r.checkedInAt, r.cancelledAt].map(csvCell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
