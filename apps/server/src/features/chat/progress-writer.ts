import type { Kysely } from 'kysely';
import { updateGeneratingContent } from '../../db/conversations.repository.ts';
import type { Database } from '../../db/database.ts';

/** How often the text of a reply being generated is written to its message. */
const PROGRESS_INTERVAL_MS = 500;

/** Writes a generating reply's text so far at most every PROGRESS_INTERVAL_MS, one write at a time. */
export function createProgressWriter(db: Kysely<Database>, messageId: string) {
  let text = '';
  let written = 0;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    timer = undefined;
    if (text.length === written) return;
    const content = text;
    writing = writing
      .then(() => updateGeneratingContent(db, messageId, content))
      .then(() => {
        written = content.length;
      })
      .catch(() => {});
  };
  return {
    add(delta: string) {
      text += delta;
      timer ??= setTimeout(flush, PROGRESS_INTERVAL_MS);
    },
    /** No more writes; waits for one in progress, so it cannot land after the final outcome. */
    async stop() {
      clearTimeout(timer);
      await writing;
    },
  };
}
