import type { Key, ReactNode } from 'react';
import { ErrorState, LoadMore, SkeletonRows } from './feedback.tsx';
import { Card } from './layout.tsx';
import './table.css';

/** A column of a Table: its head cell's text and class. */
interface Column {
  label: ReactNode;
  className?: string;
}

/**
 * A list page's table: column heads, one row per item, and (with `actions`) a last column of row actions
 * named for screen readers only. Placeholder rows stand in while `isLoading`.
 */
export function Table<Item>({
  columns,
  items,
  rowKey,
  cells,
  actions,
  rowClassName,
  label,
  isLoading = false,
  skeletonRows,
}: {
  columns: Column[];
  items: readonly Item[];
  rowKey: (item: Item) => Key;
  /** The row's `<td>` cells before the actions column. */
  cells: (item: Item) => ReactNode;
  /** The row's actions (buttons, links), in the last column. */
  actions?: (item: Item) => ReactNode;
  rowClassName?: (item: Item) => string | undefined;
  /** The table's accessible name, when the page holds more than one table. */
  label?: string;
  isLoading?: boolean;
  /** How many placeholder rows stand in while loading (4 by default). */
  skeletonRows?: number;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a table that scrolls sideways must scroll by keyboard too
    <div className="table-wrap" tabIndex={0}>
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((column, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for the table's life
              <th key={index} className={column.className}>
                {column.label}
              </th>
            ))}
            {actions ? (
              <th className="table__actions-head">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {isLoading ? (
            <SkeletonRows columns={columns.length + (actions ? 1 : 0)} rows={skeletonRows} />
          ) : null}
          {items.map((item) => (
            <tr key={rowKey(item)} className={rowClassName?.(item)}>
              {cells(item)}
              {actions ? (
                <td>
                  <div className="row-actions">{actions(item)}</div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What a ListCard shows: a list's items, whether they are loading, why they failed, and the next page. */
interface ListState {
  items: readonly unknown[];
  isLoading: boolean;
  error: Error | undefined;
  reload: () => void;
  nextCursor?: string | null;
  isLoadingMore?: boolean;
  loadMore?: () => void;
}

/**
 * A list page's list in its card, with the states every list has: a failure with "Try again", what it shows
 * when there is nothing yet, and "Load more" while more pages remain. `children` draws the items (a Table,
 * or a list of its own).
 */
export function ListCard({
  list,
  empty,
  emptyAs = 'card',
  errorAs = 'page',
  footer,
  title,
  description,
  className,
  children,
}: {
  list: ListState;
  /** Shown instead of the items once the list has loaded empty. */
  empty?: ReactNode;
  /** `card`: the empty state in a card of its own, instead of the list's; `content`: inside the list's card. */
  emptyAs?: 'card' | 'content';
  /** `page`: a failure shows above, instead of the card; `card`: inside the card, instead of the items. */
  errorAs?: 'page' | 'card';
  /** Shown under the items (a note about them), above "Load more". */
  footer?: ReactNode;
  title?: ReactNode;
  description?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  const isEmpty = empty !== undefined && !list.isLoading && !list.error && list.items.length === 0;
  const error = list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null;
  const card = (content: ReactNode) => (
    <Card flush title={title} description={description} className={className}>
      {content}
      {footer}
      {list.loadMore ? (
        <LoadMore
          hasMore={Boolean(list.nextCursor)}
          isLoading={list.isLoadingMore ?? false}
          onClick={list.loadMore}
        />
      ) : null}
    </Card>
  );

  if (errorAs === 'card') {
    return card(error ? <div className="card__inset">{error}</div> : isEmpty ? empty : children);
  }
  return (
    <>
      {error}
      {isEmpty && emptyAs === 'card' ? <Card>{empty}</Card> : null}
      {!error && !(isEmpty && emptyAs === 'card') ? card(isEmpty ? empty : children) : null}
    </>
  );
}
