import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataCell, TruncatedText } from './data-table';

const cell = (node: ReactNode) =>
  renderToStaticMarkup(
    <table>
      <tbody>
        <tr>{node}</tr>
      </tbody>
    </table>,
  );

describe('DataCell', () => {
  it("names its value on a phone's card from data-label, outside the cell's text", () => {
    const html = cell(
      <DataCell label="Sold" data-testid="sold">
        2 / 5
      </DataCell>,
    );
    expect(html).toContain('data-label="Sold"');
    expect(html.replace(/<[^>]+>/g, '')).toBe('2 / 5');
  });

  it('without a label keeps its children as they are', () => {
    expect(cell(<DataCell>x</DataCell>)).toMatch(/<td[^>]*>x<\/td>/);
  });
});

describe('TruncatedText', () => {
  it('keeps the whole text in its title', () => {
    const email = 'a.very.long.address@example.com';
    expect(renderToStaticMarkup(<TruncatedText text={email} />)).toContain(`title="${email}"`);
  });
});
