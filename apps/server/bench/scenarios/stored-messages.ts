import type { ReplyShape } from '../fake-upstream.ts';
import { createJsonClient } from '../load/json-load.ts';
import { atMost, type Check, formatMs, formatRatio, printTable, ratio } from '../report.ts';
import { seedMessages } from '../seed-messages.ts';
import { summarise } from '../stats.ts';
import { availableBackings, chatBody, type PollyBotTarget, startStack } from '../targets.ts';

// Chat on a database that already holds many messages against one on an empty database: two instances of
// PollyBot side by side (per backing), the same requests sent to each in turn.

const SHAPE: ReplyShape = { tokens: 50, firstTokenDelayMs: 0, interTokenDelayMs: 0 };
const MESSAGES_PER_CONVERSATION = 100;
const MAX_RATIO = 1.2;

type StoredMessagesRow = {
  target: string;
  storedMessages: number;
  seedSeconds: number;
  storedP50: number;
  storedP99: number;
  emptyP50: number;
  emptyP99: number;
  ratio: number;
  failures: number;
};

export type StoredMessagesResult = { requests: number; rows: StoredMessagesRow[]; checks: Check[] };

async function compare(
  empty: PollyBotTarget,
  stored: PollyBotTarget,
  messages: number,
  requests: number,
): Promise<StoredMessagesRow> {
  process.stdout.write(`stored messages: ${stored.name}, seeding ${messages} messages\n`);
  const seedStart = process.hrtime.bigint();
  await seedMessages(
    {
      databaseUrl: stored.databaseUrl,
      workspaceId: stored.workspaceId,
      chatbotId: await stored.chatbotFor(SHAPE),
    },
    {
      newConversations: messages / MESSAGES_PER_CONVERSATION,
      messagesEach: MESSAGES_PER_CONVERSATION,
      onProgress: (written) => {
        if (written % 100_000 === 0) process.stdout.write(`stored messages: ${written} written\n`);
      },
    },
  );
  const seedSeconds = Number(process.hrtime.bigint() - seedStart) / 1e9;
  const clients = {
    empty: createJsonClient(await empty.chatEndpoint(SHAPE)),
    stored: createJsonClient(await stored.chatEndpoint(SHAPE)),
  };
  try {
    const times = { empty: [] as number[], stored: [] as number[] };
    let failures = 0;
    // A chat as a client sends it: a new conversation each time. The first 20 of each warm up.
    for (let index = 0; index < requests + 20; index++) {
      for (const side of ['empty', 'stored'] as const) {
        const reply = await clients[side].send(chatBody(stored, SHAPE, { stream: false }));
        if (reply.status !== 200) failures++;
        if (index >= 20) times[side].push(reply.ms);
      }
    }
    const storedSummary = summarise(times.stored);
    const emptySummary = summarise(times.empty);
    return {
      target: stored.name,
      storedMessages: messages,
      seedSeconds,
      storedP50: storedSummary.p50,
      storedP99: storedSummary.p99,
      emptyP50: emptySummary.p50,
      emptyP99: emptySummary.p99,
      ratio: ratio(storedSummary.p50, emptySummary.p50),
      failures,
    };
  } finally {
    await Promise.all([clients.empty.close(), clients.stored.close()]);
  }
}

export async function benchStoredMessages(options: { quick: boolean }): Promise<StoredMessagesResult> {
  // --quick stores far fewer messages: it keeps the scenario working, its ratio says little.
  const messages = options.quick ? 20_000 : 1_000_000;
  const requests = options.quick ? 40 : 300;
  const backings = availableBackings();
  const stack = await startStack({
    defaults: SHAPE,
    backings: backings.flatMap((backing) => [backing, backing]),
  });
  const rows: StoredMessagesRow[] = [];
  try {
    for (let index = 0; index < stack.pollybots.length; index += 2) {
      const [empty, stored] = stack.pollybots.slice(index, index + 2);
      if (empty && stored) rows.push(await compare(empty, stored, messages, requests));
    }
  } finally {
    await stack.stop();
  }
  const checks: Check[] = rows.map((row) => ({
    scenario: 'stored messages',
    figure: `${row.target}: chat with ${row.storedMessages} messages stored, to an empty database (p50)`,
    value: formatRatio(row.ratio),
    target: `<= ${MAX_RATIO}x`,
    met: atMost(row.ratio, MAX_RATIO) && row.failures === 0,
  }));
  printTable(
    `JSON chat (a new conversation each time) with ${messages} messages stored in conversations of ` +
      `${MESSAGES_PER_CONVERSATION}, against an empty database; ${requests} requests each, one at a time, ` +
      `interleaved${options.quick ? ' (--quick: far fewer messages than the full run’s 1,000,000)' : ''}.`,
    rows.map((row) => ({
      target: row.target,
      stored: row.storedMessages,
      'seeding (s)': row.seedSeconds.toFixed(1),
      'stored p50': formatMs(row.storedP50),
      'stored p99': formatMs(row.storedP99),
      'empty p50': formatMs(row.emptyP50),
      'empty p99': formatMs(row.emptyP99),
      'x empty': formatRatio(row.ratio),
      failures: row.failures,
    })),
  );
  return { requests, rows, checks };
}
