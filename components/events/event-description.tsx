// An event's description as safe Markdown (react-markdown 10): no raw HTML
// ever (`skipHtml`: a `<script>` or `<img onerror>` typed into the description
// is dropped, never rendered), only the elements below (headings become the
// page's sub-headings; images are not shown: a description cannot load
// anything), links to http(s) and mail only (react-markdown's URL check),
// opened with rel="noopener nofollow ugc" as text an organiser wrote should be.
import type { ComponentProps } from 'react';
import Markdown, { defaultUrlTransform } from 'react-markdown';

const ALLOWED = ['p', 'br', 'strong', 'em', 'del', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'h1', 'h2', 'h3', 'h4', 'hr'];

/** Only web and mail links: react-markdown's own check, then anything but http(s) and mailto dropped. */
function safeUrl(url: string): string {
  const checked = defaultUrlTransform(url);
  return /^(https?:|mailto:)/i.test(checked) ? checked : '';
}

function Link({ node: _node, href, children, ...rest }: ComponentProps<'a'> & { node?: unknown }) {
  if (!href) return <>{children}</>;
  return (
    <a {...rest} href={href} rel="noopener nofollow ugc" target="_blank" className="font-medium text-indigo-700 underline underline-offset-2 hover:text-indigo-900">
      {children}
    </a>
  );
}

const HEADING = 'mt-4 mb-1 font-semibold text-slate-900';

export function EventDescription({ markdown, testId }: { markdown: string; testId?: string }) {
  return (
    <div
      className="flex flex-col gap-2 break-words text-slate-800 [&_blockquote]:border-l-4 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3 [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_ol]:list-decimal [&_ol]:pl-6 [&_pre]:overflow-x-auto [&_ul]:list-disc [&_ul]:pl-6"
      data-testid={testId}
    >
      <Markdown
        skipHtml
        allowedElements={ALLOWED}
        unwrapDisallowed
        urlTransform={safeUrl}
        components={{
          a: Link,
          // One h1 per page (the title): a description's headings start at h2, whatever level it wrote.
          h1: ({ node: _node, ...props }) => <h2 {...props} className={`${HEADING} text-lg`} />,
          h2: ({ node: _node, ...props }) => <h2 {...props} className={`${HEADING} text-lg`} />,
          h3: ({ node: _node, ...props }) => <h3 {...props} className={`${HEADING} text-base`} />,
          h4: ({ node: _node, ...props }) => <h4 {...props} className={`${HEADING} text-base`} />,
        }}
      >
        {markdown}
      </Markdown>
    </div>
  );
}
