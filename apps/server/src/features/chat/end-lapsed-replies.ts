import { endLapsedTurn } from '../../db/chat-turns.repository.ts';
import type { DatabaseHandle } from '../../db/connect.ts';
import { findReplyMessage, listLapsedReplies } from '../../db/conversations.repository.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import { storedReplyEvents } from './reply-events.ts';
import type { ReplyJournal } from './reply-journal.ts';

export type LapsedReplyDeps = {
  database: DatabaseHandle;
  clock: Clock;
  ids: IdGenerator;
  journal: ReplyJournal;
  /** Told of a reply whose journal could not be read or written; it is ended from its stored text all the same. */
  onJournalError?: (messageId: string, error: unknown) => void;
};

/** Replies one sweep ends at most; the rest wait for the next. */
const SWEEP_BATCH = 100;

/**
 * Ends the replies whose instance stopped renewing their lease (it crashed, or lost the database for longer
 * than a lease): each becomes `incomplete` with the text it has and costs nothing (its reservation is given
 * back), and whoever follows its stream is sent the rest of its text and the terminal `done`. Run by every
 * instance, every few seconds; each ending is one conditional write, so instances sweeping together, or a
 * reply's rightful end arriving meanwhile, end it once. Answers how many replies this sweep ended.
 */
export async function endLapsedReplies(deps: LapsedReplyDeps): Promise<number> {
  const { db } = deps.database;
  const now = deps.clock.now().toISOString();
  const lapsed = await listLapsedReplies(db, now, SWEEP_BATCH);
  let ended = 0;
  for (const reply of lapsed) {
    // The journal may hold more of the text than the message (written every half second) or less (Redis
    // writes lag behind too): both are the start of the same text, so the longer one is kept.
    const journalText = await deps.journal.readText(reply.id).catch((error: unknown) => {
      deps.onJournalError?.(reply.id, error);
      return undefined;
    });
    const content =
      journalText !== undefined && journalText.length > reply.content.length ? journalText : reply.content;
    const isEnded = await endLapsedTurn(deps.database, {
      messageId: reply.id,
      content,
      now,
      reservation: reply.reservation_id ? { id: reply.reservation_id, ledgerId: deps.ids() } : undefined,
    });
    if (!isEnded) continue;
    ended++;
    // Followers of the journal (on any instance) are sent what they have not seen, then the terminal event;
    // without a journal, followers read the stored message, which now has its end.
    if (journalText === undefined) continue;
    const stored = await findReplyMessage(db, reply.id);
    if (!stored) continue;
    const writer = deps.journal.open(reply.id);
    for (const event of storedReplyEvents(stored, journalText.length)) writer.append(event);
    await writer.flush().catch((error: unknown) => deps.onJournalError?.(reply.id, error));
  }
  return ended;
}
