import { type SelectQueryBuilder, sql } from 'kysely';

/** A page of rows and the cursor of the next page (null on the last page). */
export type Page<T> = { items: T[]; nextCursor: string | null };

/** Pages are fetched with limit + 1 rows: the extra row only tells that another page exists. */
function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? last.id : null };
}

export type PageOptions = { limit: number; cursor?: string | undefined };

/**
 * Runs a single-table query as one page, newest first (or oldest first): ids are time-ordered, so the
 * cursor is the last id of the previous page.
 */
export async function fetchPage<DB, TB extends keyof DB, O extends { id: string }>(
  query: SelectQueryBuilder<DB, TB, O>,
  options: PageOptions,
  order: 'newest first' | 'oldest first' = 'newest first',
): Promise<Page<O>> {
  const isNewestFirst = order === 'newest first';
  let paged = query.orderBy(sql.ref('id'), isNewestFirst ? 'desc' : 'asc').limit(options.limit + 1);
  if (options.cursor) paged = paged.where(sql.ref('id'), isNewestFirst ? '<' : '>', options.cursor);
  return toPage(await paged.execute(), options.limit);
}
