import type { Kysely } from 'kysely';
import { renewGeneratingReply } from '../../db/conversations.repository.ts';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';

/** How often the text of a reply being generated is written to its message. */
const PROGRESS_INTERVAL_MS = 500;

export type ProgressWriterOptions = {
  db: Kysely<Database>;
  messageId: string;
  clock: Clock;
  /** How long each write holds the reply for this instance (POLLYBOT_REPLY_LEASE_MS). */
  leaseMs: number;
  /** Told once when a write finds the reply ended already: its lease had lapsed and a sweep ended it. */
  onLost: () => void;
};

/**
 * Writes a generating reply's text so far at most every PROGRESS_INTERVAL_MS, one write at a time, and with each
 * write renews the reply's lease. While no text comes (a slow provider, a knowledge search) the lease is renewed
 * alone, a few times per lease, so a reply that is alive is never taken for one whose instance stopped.
 */
export function createProgressWriter(options: ProgressWriterOptions) {
  const { db, messageId, clock, leaseMs } = options;
  let text = '';
  let written = 0;
  let renewedAt = clock.now().getTime();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let isLost = false;

  const renew = (content: string | undefined) => {
    writing = writing
      .then(async () => {
        if (isLost) return;
        const now = clock.now().getTime();
        const leaseExpiresAt = new Date(now + leaseMs).toISOString();
        const held = await renewGeneratingReply(db, messageId, { leaseExpiresAt, content });
        renewedAt = now;
        if (content !== undefined) written = content.length;
        if (!held) {
          isLost = true;
          options.onLost();
        }
      })
      // A failed write is retried with the next one; should none succeed, the lease lapses as after a crash.
      .catch(() => {});
  };
  const flush = () => {
    timer = undefined;
    if (text.length !== written) renew(text);
  };
  const renewEveryMs = Math.max(100, Math.floor(leaseMs / 4));
  const heartbeat = setInterval(() => {
    if (clock.now().getTime() - renewedAt >= renewEveryMs) renew(undefined);
  }, renewEveryMs);
  heartbeat.unref();

  return {
    add(delta: string) {
      text += delta;
      timer ??= setTimeout(flush, PROGRESS_INTERVAL_MS);
    },
    /** No more writes; waits for one in progress, so it cannot land after the final outcome. */
    async stop() {
      clearTimeout(timer);
      clearInterval(heartbeat);
      await writing;
    },
  };
}
