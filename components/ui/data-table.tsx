import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';
import { cx } from './cx';

const cellPadding = 'px-4 py-2.5';

export type DataColumn = {
  id: string;
  header: ReactNode;
  /** Only for screen readers (a column of row actions). */
  headerHidden?: boolean;
  /** Classes the column's header shares with its cells (alignment, hiding on small screens). */
  className?: string;
};

type DataTableProps = {
  /** Names the table for screen readers (a visually hidden caption). */
  caption: string;
  /** The id of a visible heading that names the scrolling region; else the caption does. */
  labelledBy?: string;
  columns: readonly DataColumn[];
  /** The rows: <tr>s of DataCell and DataRowHeader. */
  children: ReactNode;
  /** While the rows are being replaced (a search in flight). */
  busy?: boolean;
  testId?: string;
};

/**
 * A table in a card. From Tailwind's `sm` up it is a table that scrolls
 * sideways when it must; below `sm` every row is a stacked card (each cell a
 * line under its column's `label`, the row's actions last and in full), since
 * a phone cannot show six columns and a sideways scroll hides the buttons.
 * The region takes the focus (tabIndex 0) and has a name, so a keyboard user
 * can scroll it too.
 */
export function DataTable({ caption, labelledBy, columns, children, busy, testId }: DataTableProps) {
  return (
    <div
      // relative: the visually hidden headers (position: absolute) scroll and clip with the table,
      // instead of widening the page on a phone (a hidden last-column header did, by 83 px at 390).
      className="relative overflow-x-auto rounded-2xl bg-white shadow-sm ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-600"
      role="region"
      aria-labelledby={labelledBy}
      aria-label={labelledBy ? undefined : caption}
      tabIndex={0}
    >
      <table className="w-full text-left text-sm max-sm:block" data-testid={testId} aria-busy={busy || undefined}>
        <caption className="sr-only">{caption}</caption>
        {/* The cards name each value with its cell's label instead. */}
        <thead className="border-b border-slate-200 text-slate-600 max-sm:hidden">
          <tr>
            {columns.map((column) => (
              <th key={column.id} scope="col" className={cx(cellPadding, 'font-medium', column.className)}>
                {column.headerHidden ? <span className="sr-only">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 max-sm:block max-sm:[&>tr]:block max-sm:[&>tr]:px-4 max-sm:[&>tr]:py-3">{children}</tbody>
      </table>
    </div>
  );
}

type DataCellProps = TdHTMLAttributes<HTMLTableCellElement> & {
  /**
   * The column's name, shown before the value on a phone's card (the table's
   * header says it from `sm` up). Drawn by CSS from `data-label`, so it is not
   * part of the cell's text.
   */
  label?: string;
  /** The row's buttons: on a phone's card a line of their own, wrapping, never cut. */
  actions?: boolean;
};

const labelled =
  'max-sm:flex max-sm:items-baseline max-sm:gap-3 max-sm:before:w-28 max-sm:before:shrink-0 max-sm:before:text-xs ' +
  'max-sm:before:font-normal max-sm:before:text-slate-500 max-sm:before:content-[attr(data-label)]';

export function DataCell({ className, label, actions, children, ...rest }: DataCellProps) {
  return (
    <td
      className={cx(
        cellPadding,
        'max-sm:px-0 max-sm:py-1 max-sm:text-left',
        label !== undefined && labelled,
        actions ? 'max-sm:flex max-sm:flex-wrap max-sm:gap-2 max-sm:pt-2 max-sm:empty:hidden' : label === undefined && 'max-sm:block',
        className,
      )}
      data-label={label}
      {...rest}
    >
      {label === undefined ? children : <div className="min-w-0 max-sm:flex-1">{children}</div>}
    </td>
  );
}

/** The cell that names its row (a person, an item): a header for the cells beside it, the card's title on a phone. */
export function DataRowHeader({ className, ...rest }: Omit<ThHTMLAttributes<HTMLTableCellElement>, 'scope'>) {
  return <th scope="row" className={cx(cellPadding, 'font-medium text-slate-900 max-sm:block max-sm:px-0 max-sm:py-1', className)} {...rest} />;
}

/**
 * A value that may be long without spaces (an email, a URL): one line cut
 * with an ellipsis, whole in its `title`, instead of breaking letter by letter.
 */
export function TruncatedText({ text, className }: { text: string; className?: string }) {
  return (
    <span className={cx('block truncate sm:max-w-64', className)} title={text}>
      {text}
    </span>
  );
}
