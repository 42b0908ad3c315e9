import { monotonicFactory } from 'ulid';

export type IdGenerator = () => string;

/**
 * Opaque, URL-safe, collision-resistant ids that sort by creation time (lower-case ULIDs),
 * so lists page by id and messages keep their order without a second column.
 */
export function createIdGenerator(): IdGenerator {
  const next = monotonicFactory();
  return () => next().toLowerCase();
}
