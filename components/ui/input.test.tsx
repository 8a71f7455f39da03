import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Input, Select, Textarea } from './input';

const classesOf = (html: string) => (/class="([^"]*)"/.exec(html)?.[1] ?? '').split(' ');

describe('form controls', () => {
  it('are full width by default', () => {
    expect(classesOf(renderToStaticMarkup(<Select />))).toContain('w-full');
    expect(classesOf(renderToStaticMarkup(<Input />))).toContain('w-full');
    expect(classesOf(renderToStaticMarkup(<Textarea />))).toContain('w-full');
  });

  it("take the caller's width instead of w-full, whatever order Tailwind writes them in", () => {
    const classes = classesOf(renderToStaticMarkup(<Select className="w-24" />));
    expect(classes).toContain('w-24');
    expect(classes).not.toContain('w-full');
  });

  it('keep w-full below a width the caller sets from a breakpoint up', () => {
    expect(classesOf(renderToStaticMarkup(<Input className="sm:w-48" />))).toEqual(expect.arrayContaining(['w-full', 'sm:w-48']));
  });
});
