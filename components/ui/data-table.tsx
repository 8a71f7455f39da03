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
 * A table in a card that scrolls sideways on a narrow screen. The scrolling
 * region takes the focus (tabIndex 0) and has a name, so a keyboard user can
 * scroll it too.
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
      <table className="w-full text-left text-sm" data-testid={testId} aria-busy={busy || undefined}>
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 text-slate-600">
          <tr>
            {columns.map((column) => (
              <th key={column.id} scope="col" className={cx(cellPadding, 'font-medium', column.className)}>
                {column.headerHidden ? <span className="sr-only">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function DataCell({ className, ...rest }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cx(cellPadding, className)} {...rest} />;
}

/** The cell that names its row (a person, an item): a header for the cells beside it. */
export function DataRowHeader({ className, ...rest }: Omit<ThHTMLAttributes<HTMLTableCellElement>, 'scope'>) {
  return <th scope="row" className={cx(cellPadding, 'font-medium text-slate-900', className)} {...rest} />;
}
