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

/** A question's column: headed with its current label, its cells the answers' text as given. */
export type QuestionColumn = { id: string; label: string };

const questionKey = (id: string) => `question_${id}`;

async function* rowsOf(pages: AsyncIterable<OrganiserRegistrationDto[]>, questions: readonly QuestionColumn[]): AsyncGenerator<Record<string, unknown>> {
  for await (const page of pages) {
    for (const row of page) {
      const texts = new Map(row.answers.map((answer) => [answer.questionId, answer.text ?? '']));
      yield { ...row, ...Object.fromEntries(questions.map((q) => [questionKey(q.id), texts.get(q.id) ?? ''])) };
    }
  }
}

/** The CSV of every registration the pages hold, in their order, as a byte stream for a Response; a column per question after the fixed ones. */
export function registrationsCsvStream(pages: AsyncIterable<OrganiserRegistrationDto[]>, questions: readonly QuestionColumn[] = []): ReadableStream<Uint8Array> {
  const csv = stringify({
    bom: true,
    header: true,
    columns: [...COLUMNS, ...questions.map((q) => ({ key: questionKey(q.id), header: q.label }))],
    record_delimiter: 'windows',
    escape_formulas: true,
    // Its own check quotes only the whole record delimiter; a lone CR or LF inside a cell needs quotes too.
    quoted_match: /[\r\n]/,
  });
  // pipeline destroys the stringifier when a page fails to load, so the
  // download ends with an error instead of hanging; the reader sees it.
  pipeline(Readable.from(rowsOf(pages, questions)), csv, () => {});
  return Readable.toWeb(csv) as ReadableStream<Uint8Array>;
}
