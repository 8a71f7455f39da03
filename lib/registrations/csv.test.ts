import { describe, expect, it } from 'vitest';
import { csvCell, registrationsCsv } from './csv';

describe('the registrations CSV', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}SUM(A1)`).replace(/^"/, '').startsWith(`'${start}`)).toBe(true);
    expect(csvCell('plain')).toBe('plain');
  });

  it('quotes commas, quotes and line breaks, and leaves null empty', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(3)).toBe('3');
  });

  it('starts with a BOM and a header row', () => {
    const text = registrationsCsv([
      { id: 'r1', name: '=cmd', email: 'a@example.com', status: 'waitlisted', position: 2, createdAt: 't', checkedInAt: null, cancelledAt: null },
    ]);
    expect(text.startsWith('\uFEFFid,name,email,status,position,created_at,checked_in_at,cancelled_at\r\n')).toBe(true);
    expect(text).toContain("r1,'=cmd,a@example.com,waitlisted,2,t,,\r\n");
  });
});
