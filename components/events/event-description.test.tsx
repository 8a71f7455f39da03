import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EventDescription } from './event-description';

const html = (markdown: string) => renderToStaticMarkup(<EventDescription markdown={markdown} />);

describe('EventDescription (safe Markdown)', () => {
  it('renders Markdown: emphasis, lists, links with rel="noopener nofollow ugc"', () => {
    const out = html('**Bring** _tea_\n\n- one\n- two\n\n[Map](https://example.com/map)');
    expect(out).toContain('<strong>Bring</strong>');
    expect(out).toContain('<em>tea</em>');
    expect(out).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(out).toContain('href="https://example.com/map"');
    expect(out).toContain('rel="noopener nofollow ugc"');
    expect(out).toContain('target="_blank"');
  });

  it('drops raw HTML: no <script>, no <img onerror>, no inline handler survives', () => {
    const out = html('Hello <script>alert(1)</script> there\n\n<img src=x onerror="alert(2)">\n\n<a href="https://evil.example" onclick="steal()">x</a>');
    expect(out).not.toMatch(/<script/i);
    expect(out).not.toMatch(/<img/i);
    expect(out).not.toMatch(/onerror|onclick/i);
    expect(out).not.toContain('evil.example');
    expect(out).toContain('Hello');
    expect(out).toContain('there');
  });

  it('keeps no javascript: or data: link, and shows no Markdown image', () => {
    const out = html('[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) ![pixel](https://tracker.example/p.png)');
    expect(out).not.toMatch(/javascript:/i);
    expect(out).not.toMatch(/data:text/i);
    expect(out).not.toMatch(/<img/i);
    expect(out).not.toContain('tracker.example');
    expect(out).toContain('click');
  });

  it('escapes text that looks like markup instead of interpreting it', () => {
    const out = html('Use `<b>` for bold, and 1 < 2 & 3 > 2');
    expect(out).toContain('<code>&lt;b&gt;</code>');
    expect(out).toContain('1 &lt; 2 &amp; 3 &gt; 2');
  });

  it('turns a heading of any level into a sub-heading (one h1 per page)', () => {
    const out = html('# Programme\n\n### Evening');
    expect(out).not.toContain('<h1');
    expect(out).toMatch(/<h2[^>]*>Programme<\/h2>/);
    expect(out).toMatch(/<h3[^>]*>Evening<\/h3>/);
  });
});
