import { describe, expect, it } from 'vitest';
import { answerText, checkAnswer, createQuestionSchema, shownAnswer, type AskedQuestion } from './schemas';

const options = [
  { id: '00000000-0000-4000-8000-000000000001', label: 'S' },
  { id: '00000000-0000-4000-8000-000000000002', label: 'M' },
];
const q = (kind: AskedQuestion['kind'], required = false): AskedQuestion => ({ id: 'q', kind, required, options: kind.includes('choice') ? options : [] });

describe('checkAnswer, the one check of the browser and the server', () => {
  it.each([
    ['text', '  hi  ', { missing: false, value: 'hi' }],
    ['text', 'x'.repeat(501), { error: 'answerTooLong' }],
    ['long_text', 'x'.repeat(5000), { missing: false, value: 'x'.repeat(5000) }],
    ['long_text', 'x'.repeat(5001), { error: 'longAnswerTooLong' }],
    ['choice', options[1]?.id, { missing: false, value: options[1]?.id }],
    ['choice', 'other', { error: 'choice' }],
    ['multi_choice', [options[1]?.id, options[0]?.id, options[1]?.id], { missing: false, value: [options[0]?.id, options[1]?.id] }],
    ['multi_choice', 'S', { error: 'choice' }],
    ['checkbox', false, { missing: false, value: false }],
    ['checkbox', 'yes', { error: 'invalid' }],
    ['number', 4.5, { missing: false, value: 4.5 }],
    ['number', Number.NaN, { error: 'number' }],
    ['number', '4', { error: 'number' }],
    ['date', '2028-02-29', { missing: false, value: '2028-02-29' }],
    ['date', '2027-02-29', { error: 'date' }],
    ['date', '01/02/2027', { error: 'date' }],
  ] as const)('%s %j', (kind, raw, expected) => {
    expect(checkAnswer(q(kind), raw)).toEqual(expected);
  });

  it('a required question left empty is `required`; a required consent unticked is `consent`; an optional one is just missing', () => {
    for (const empty of [undefined, null, '', '   ']) expect(checkAnswer(q('text', true), empty)).toEqual({ error: 'required' });
    expect(checkAnswer(q('multi_choice', true), [])).toEqual({ error: 'required' });
    expect(checkAnswer(q('checkbox', true), false)).toEqual({ error: 'consent' });
    expect(checkAnswer(q('checkbox', true), undefined)).toEqual({ error: 'consent' });
    expect(checkAnswer(q('number'), '')).toEqual({ missing: true });
  });

  it('reads a choice as its labels and a consent in the reader\'s words', () => {
    expect(answerText({ kind: 'multi_choice', options }, [options[0]?.id ?? '', options[1]?.id ?? ''])).toBe('S, M');
    expect(shownAnswer({ value: true, text: 'yes' }, { yes: 'Да', no: 'Нет' })).toBe('Да');
    expect(shownAnswer({ value: null, text: null }, { yes: 'Да', no: 'Нет' })).toBeNull();
  });

  it('a choice needs options and any other kind takes none', () => {
    expect(createQuestionSchema.safeParse({ label: 'Size', kind: 'choice' }).success).toBe(false);
    expect(createQuestionSchema.safeParse({ label: 'Size', kind: 'text', options: [{ label: 'S' }] }).success).toBe(false);
    expect(createQuestionSchema.safeParse({ label: 'Size', kind: 'choice', options: [{ label: 'S' }] }).success).toBe(true);
  });
});
