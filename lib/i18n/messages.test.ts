import { IntlMessageFormat } from 'intl-messageformat';
import { createTranslator, type IntlError } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from './config';
import { MESSAGES } from './messages';

// Every message of both catalogues, rendered the way the pages render it
// (next-intl's translator), with sample values for its placeholders: an ICU
// mistake (an unescaped `<`, a missing `other`, a typo in `plural`) shows as
// an IntlError in the console and as the raw key on the page, which no type
// check catches.

type Catalogue = { [key: string]: string | Catalogue };

function flatten(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out.set(path, value);
    else for (const [nested, message] of flatten(value, path)) out.set(nested, message);
  }
  return out;
}

// intl-messageformat's AST, as much of it as the samples need (its element
// types by number: the parser's TYPE enum).
type AstNode = {
  type: number;
  value?: string;
  options?: Record<string, { value: readonly AstNode[] }>;
  children?: readonly AstNode[];
};
const ARGUMENT = 1;
const NUMBER = 2;
const DATE = 3;
const TIME = 4;
const SELECT = 5;
const PLURAL = 6;
const TAG = 8;

type Placeholders = { plain: Set<string>; numbers: Set<string>; dates: Set<string>; selects: Map<string, string[]>; tags: Set<string> };

function placeholdersOf(nodes: readonly AstNode[], into: Placeholders): Placeholders {
  for (const node of nodes) {
    const name = node.value ?? '';
    if (node.type === ARGUMENT) into.plain.add(name);
    else if (node.type === NUMBER || node.type === PLURAL) into.numbers.add(name);
    else if (node.type === DATE || node.type === TIME) into.dates.add(name);
    else if (node.type === SELECT) into.selects.set(name, Object.keys(node.options ?? {}));
    else if (node.type === TAG) into.tags.add(name);
    for (const option of Object.values(node.options ?? {})) placeholdersOf(option.value, into);
    if (node.children) placeholdersOf(node.children, into);
  }
  return into;
}

type Sample = Record<string, string | number | Date | ((chunks: string) => string)>;

/** One set of values per plural form worth seeing (0, 1, 2, 5, 21) and per branch of each select. */
function samplesFor(message: string, locale: Locale): Sample[] {
  let ast: readonly AstNode[];
  try {
    ast = new IntlMessageFormat(message, locale).getAst();
  } catch {
    return [{}]; // unreadable: the translator below reports it as an IntlError
  }
  const found = placeholdersOf(ast, { plain: new Set(), numbers: new Set(), dates: new Set(), selects: new Map(), tags: new Set() });
  const base: Sample = {};
  for (const name of found.plain) base[name] = `«${name}»`;
  for (const name of found.dates) base[name] = new Date('2026-05-04T18:30:00Z');
  for (const name of found.tags) base[name] = (chunks) => `[${chunks}]`;
  for (const [name, options] of found.selects) base[name] = options.find((o) => o !== 'other') ?? 'other';
  const samples: Sample[] = [0, 1, 2, 5, 21].map((n) => {
    const sample: Sample = { ...base };
    for (const name of found.numbers) sample[name] = n;
    return sample;
  });
  for (const [name, options] of found.selects) for (const option of options) samples.push({ ...samples[1], [name]: option });
  return samples;
}

const catalogues = new Map(LOCALES.map((locale) => [locale, flatten(MESSAGES[locale])]));

describe('the message catalogues', () => {
  it('hold the same keys in every language', () => {
    const all = new Set([...catalogues.values()].flatMap((messages) => [...messages.keys()]));
    for (const [locale, messages] of catalogues) {
      expect([...all].filter((key) => !messages.has(key)), `keys missing from ${locale}.json`).toEqual([]);
    }
  });

  for (const locale of LOCALES) {
    it(`render every ${locale} message with sample values, without an IntlError or a raw key`, () => {
      const errors: string[] = [];
      const t = createTranslator({
        locale,
        messages: MESSAGES[locale],
        timeZone: 'Asia/Kathmandu',
        onError: (error: IntlError) => errors.push(error.message),
      });
      const problems: string[] = [];
      for (const [key, message] of catalogues.get(locale) ?? []) {
        for (const values of samplesFor(message, locale)) {
          errors.length = 0;
          // The key comes from walking this very catalogue, so it names one of its messages.
          const text = t.markup(key as Parameters<typeof t.markup>[0], values);
          const leftover = Object.keys(values).filter((name) => text.includes(`{${name}}`) || text.includes(`<${name}>`));
          if (errors.length > 0) problems.push(`${key}: ${errors.join('; ')}`);
          else if (text === key || text.trim() === '') problems.push(`${key}: rendered as "${text}"`);
          else if (leftover.length > 0) problems.push(`${key}: placeholders left as text: ${leftover.join(', ')} in "${text}"`);
        }
      }
      expect([...new Set(problems)]).toEqual([]);
    });
  }
});
