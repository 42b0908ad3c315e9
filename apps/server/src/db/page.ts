/** A page of rows and the cursor of the next page (null on the last page). */
export type Page<T> = { items: T[]; nextCursor: string | null };

/** Pages are fetched with limit + 1 rows: the extra row only tells that another page exists. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? last.id : null };
}
