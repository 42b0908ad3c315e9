import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

export type IdGenerator = () => string;

const POOL_BYTES = 4096;

/**
 * ulid's own random source, a byte from the system's CSPRNG for each character, drawn from a pool filled
 * 4 KB at a time: one system call per 256 ids instead of one per character.
 */
function pooledRandom(): () => number {
  const pool = new Uint8Array(POOL_BYTES);
  let next = POOL_BYTES;
  return () => {
    if (next === POOL_BYTES) {
      randomFillSync(pool);
      next = 0;
    }
    return (pool[next++] as number) / 256;
  };
}

/**
 * Opaque, URL-safe, collision-resistant ids that sort by creation time (lower-case ULIDs),
 * so lists page by id and messages keep their order without a second column.
 */
export function createIdGenerator(): IdGenerator {
  const next = monotonicFactory(pooledRandom());
  return () => next().toLowerCase();
}
