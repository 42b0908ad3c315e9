import { type Kysely, sql } from 'kysely';
import type { Database } from './database.ts';

/**
 * Runs `work` atomically: its statements are all stored, or (when it throws) none of them. The promise settles
 * once the outcome is durable.
 */
export type AtomicWrite = <T>(work: (trx: Kysely<Database>) => Promise<T>) => Promise<T>;

export type WriteBatchStats = { batches: number; writes: number };

type Job = {
  work: (trx: Kysely<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};

/** Each write in a transaction of its own (PostgreSQL, where concurrent transactions run side by side). */
export function createTransactionWrite(db: Kysely<Database>): AtomicWrite {
  return (work) => db.transaction().execute(work);
}

/**
 * SQLite's group commit. One connection writes, and a commit costs more than the statements of a chat turn
 * together (each page it changed is written to the WAL), so the writes asked for during one turn of the
 * event loop share one transaction: each runs inside a savepoint of its own, so one that fails is rolled back
 * alone, and every caller hears of its outcome only after the commit. Writes asked for while a batch commits
 * go into the next.
 */
export function createWriteBatch(db: Kysely<Database>): AtomicWrite & { stats: () => WriteBatchStats } {
  let queue: Job[] = [];
  let scheduled = false;
  const stats: WriteBatchStats = { batches: 0, writes: 0 };

  // A write alone needs no savepoint: its own transaction, as without batching.
  async function runAlone(job: Job): Promise<void> {
    try {
      job.resolve(await db.transaction().execute(job.work));
    } catch (error) {
      job.reject(error);
    }
    stats.batches++;
    stats.writes++;
  }

  async function runBatch(jobs: Job[]): Promise<void> {
    if (jobs.length === 1) return runAlone(jobs[0] as Job);
    let outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[];
    try {
      outcomes = await db.transaction().execute(async (trx) => {
        const done: typeof outcomes = [];
        for (const job of jobs) {
          await sql`savepoint write`.execute(trx);
          try {
            done.push({ ok: true, value: await job.work(trx) });
          } catch (error) {
            await sql`rollback to write`.execute(trx);
            done.push({ ok: false, error });
          }
          await sql`release write`.execute(trx);
        }
        return done;
      });
    } catch (error) {
      // The transaction itself failed (its commit, or a savepoint command): nothing of the batch is stored.
      for (const job of jobs) job.reject(error);
      return;
    }
    stats.batches++;
    stats.writes += jobs.length;
    for (const [index, job] of jobs.entries()) {
      const outcome = outcomes[index];
      if (outcome?.ok) job.resolve(outcome.value);
      else job.reject(outcome?.error);
    }
  }

  const flush = () => {
    scheduled = false;
    const jobs = queue;
    queue = [];
    // Kysely hands the connection to one transaction at a time: a batch that comes while another commits waits.
    void runBatch(jobs).catch((error: unknown) => {
      for (const job of jobs) job.reject(error);
    });
  };

  const write = (<T>(work: (trx: Kysely<Database>) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    })) as AtomicWrite & { stats: () => WriteBatchStats };
  write.stats = () => ({ ...stats });
  return write;
}
