import type { ReactNode } from 'react';
import './table.css';

/** A list page's table: its column heads, then a last column of row actions (named for screen readers only). */
export function ActionsTable({
  head,
  label,
  children,
}: {
  /** The `<th>` cells before the actions column. */
  head: ReactNode;
  /** The table's accessible name, when the page holds more than one table. */
  label?: string;
  /** The rows. */
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            {head}
            <th className="table__actions-head">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
