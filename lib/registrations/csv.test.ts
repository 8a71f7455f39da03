import { describe, expect, it } from 'vitest';
import type { OrganiserRegistrationDto } from './queries';
import { registrationsCsvStream } from './csv';

const HEADER = 'id,name,email,status,position,created_at,checked_in_at,cancelled_at';

function registration(overrides: Partial<OrganiserRegistrationDto>): OrganiserRegistrationDto {
  return {
    id: 'r1',
    name: 'Ann',
    email: 'ann@example.com',
    status: 'confirmed',
    position: null,
    createdAt: '2027-01-01T10:00:00.000Z',
    reference: '7KQ2M9XD',
    checkedInAt: null,
    cancelledAt: null,
    ticket: null,
    answers: [],
    ...overrides,
  };
}

async function* pagesOf(...pages: OrganiserRegistrationDto[][]): AsyncGenerator<OrganiserRegistrationDto[]> {
  for (const page of pages) yield page;
}

/** The stream's bytes decoded without stripping the BOM (Response.text() would drop it). */
async function csvOf(...pages: OrganiserRegistrationDto[][]): Promise<string> {
  const bytes = new Uint8Array(await new Response(registrationsCsvStream(pagesOf(...pages))).arrayBuffer());
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

describe('the registrations CSV', () => {
  it('starts with a BOM and a header row, CRLF line ends', async () => {
    const text = await csvOf([registration({})]);
    expect(text.startsWith(`\uFEFF${HEADER}\r\n`)).toBe(true);
    expect(text).toBe(`\uFEFF${HEADER}\r\nr1,Ann,ann@example.com,confirmed,,2027-01-01T10:00:00.000Z,,\r\n`);
  });

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    const starts = ['=', '+', '-', '@', '\t', '\r', '\uFF1D'];
    const text = await csvOf(starts.map((start, i) => registration({ id: `r${i}`, name: `${start}SUM(A1)` })));
    starts.forEach((start, i) => {
      const cell = text.split(`\nr${i},`)[1] ?? '';
      expect(cell.replace(/^"/, '').startsWith(`'${start}SUM(A1)`)).toBe(true);
    });
    expect(await csvOf([registration({ name: 'plain' })])).toContain('r1,plain,');
  });

  it('keeps a waitlist position as a number and quotes commas, quotes and line breaks', async () => {
    const text = await csvOf([
      registration({ id: 'a', name: 'a,b', status: 'waitlisted', position: 2 }),
      registration({ id: 'b', name: 'say "hi"' }),
      registration({ id: 'c', name: 'two\nlines', checkedInAt: '2027-01-02T10:00:00.000Z' }),
      registration({ id: 'd', name: 'carriage\rreturn' }),
    ]);
    expect(text).toContain('d,"carriage\rreturn",');
    expect(text).toContain('a,"a,b",ann@example.com,waitlisted,2,');
    expect(text).toContain('b,"say ""hi""",');
    expect(text).toContain('c,"two\nlines",ann@example.com,confirmed,,2027-01-01T10:00:00.000Z,2027-01-02T10:00:00.000Z,\r\n');
  });

  it('writes every page in order, and only the header for none', async () => {
    const many = Array.from({ length: 1200 }, (_, i) => registration({ id: `r${i}`, name: `Кирилл ${i}` }));
    const text = await csvOf(many.slice(0, 500), many.slice(500, 1000), [], many.slice(1000));
    const lines = text.split('\r\n');
    expect(lines).toHaveLength(1 + 1200 + 1);
    expect(lines[1]?.startsWith('r0,Кирилл 0,')).toBe(true);
    expect(lines[1200]?.startsWith('r1199,Кирилл 1199,')).toBe(true);
    expect(await csvOf()).toBe(`\uFEFF${HEADER}\r\n`);
  });

  it('ends the stream with an error when a later page cannot be read', async () => {
    async function* failing(): AsyncGenerator<OrganiserRegistrationDto[]> {
      yield [registration({})];
      throw new Error('database went away');
    }
    await expect(new Response(registrationsCsvStream(failing())).text()).rejects.toThrow();
  });
});
