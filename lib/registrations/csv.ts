// The organiser's CSV export (docs/api.md), written by csv-stringify as a
// stream: UTF-8 with a BOM, a header row, CRLF line ends, and cells a
// spreadsheet would run as a formula (=, +, -, @, tab, CR, and their
// full-width forms) prefixed with `'`. Rows arrive in pages, so an export of
// any size never sits in memory as one string.
import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { OrganiserRegistrationDto } from './queries';

const COLUMNS = [
  { key: 'id', header: 'id' },
  { key: 'name', header: 'name' },
  { key: 'email', header: 'email' },
  { key: 'status', header: 'status' },
  { key: 'position', header: 'position' },
  { key: 'createdAt', header: 'created_at' },
  { key: 'checkedInAt', header: 'checked_in_at' },
  { key: 'cancelledAt', header: 'cancelled_at' },
] satisfies { key: keyof OrganiserRegistrationDto; header: string }[];

async function* rowsOf(pages: AsyncIterable<OrganiserRegistrationDto[]>): AsyncGenerator<OrganiserRegistrationDto> {
  for await (const page of pages) yield* page;
}

/** The CSV of every registration the pages hold, in their order, as a byte stream for a Response. */
export function registrationsCsvStream(pages: AsyncIterable<OrganiserRegistrationDto[]>): ReadableStream<Uint8Array> {
  const csv = stringify({
    bom: true,
    header: true,
    columns: COLUMNS,
    record_delimiter: 'windows',
    escape_formulas: true,
    // Its own check quotes only the whole record delimiter; a lone CR or LF inside a cell needs quotes too.
    quoted_match: /[\r\n]/,
  });
  // pipeline destroys the stringifier when a page fails to load, so the
  // download ends with an error instead of hanging; the reader sees it.
  pipeline(Readable.from(rowsOf(pages)), csv, () => {});
  return Readable.toWeb(csv) as ReadableStream<Uint8Array>;
}
