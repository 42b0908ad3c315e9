import type { ReplyShape } from '../fake-upstream.ts';
import { createJsonClient, type JsonClient } from '../load/json-load.ts';
import { atMost, type Check, formatMs, formatRatio, printTable, ratio } from '../report.ts';
import { seedMessages } from '../seed-messages.ts';
import { summarise } from '../stats.ts';
import { chatBody, type PollyBotTarget, startStack } from '../targets.ts';

// A message in a conversation of 10,000 messages against one in a conversation just started (one earlier
// exchange, a different one for every request): the history window must keep the long one as cheap.

const SHAPE: ReplyShape = { tokens: 50, firstTokenDelayMs: 0, interTokenDelayMs: 0 };
const LONG_MESSAGES = 10_000;
const MAX_RATIO = 1.1;

type LongConversationRow = {
  target: string;
  messages: number;
  longP50: number;
  longP99: number;
  freshP50: number;
  freshP99: number;
  /** Long conversation's p50 over the fresh ones'. */
  ratio: number;
  failures: number;
};

export type LongConversationResult = { requests: number; rows: LongConversationRow[]; checks: Check[] };

type Reply = { data?: { conversationId?: string } };

async function chat(client: JsonClient, target: PollyBotTarget, conversationId?: string) {
  const result = await client.send(chatBody(target, SHAPE, { stream: false, conversationId }));
  return { ...result, conversationId: (result.json as Reply).data?.conversationId };
}

async function measure(target: PollyBotTarget, requests: number): Promise<LongConversationRow> {
  const client = createJsonClient(await target.chatEndpoint(SHAPE));
  try {
    // Conversations made through the API; the long one is then filled straight in the database.
    const long = await chat(client, target);
    if (!long.conversationId) throw new Error(`no conversation: ${JSON.stringify(long.json)}`);
    await seedMessages(
      {
        databaseUrl: target.databaseUrl,
        workspaceId: target.workspaceId,
        chatbotId: await target.chatbotFor(SHAPE),
      },
      { conversationIds: [long.conversationId], messagesEach: LONG_MESSAGES - 2 },
    );
    const fresh: string[] = [];
    for (let index = 0; index < requests + 20; index++) {
      const started = await chat(client, target);
      if (started.conversationId) fresh.push(started.conversationId);
    }
    const longTimes: number[] = [];
    const freshTimes: number[] = [];
    let failures = 0;
    for (let index = 0; index < requests + 20; index++) {
      // Interleaved, so both see the same machine; the first 20 of each warm up.
      const inLong = await chat(client, target, long.conversationId);
      const inFresh = await chat(client, target, fresh[index]);
      if (inLong.status !== 200 || inFresh.status !== 200) failures++;
      if (index < 20) continue;
      longTimes.push(inLong.ms);
      freshTimes.push(inFresh.ms);
    }
    const longSummary = summarise(longTimes);
    const freshSummary = summarise(freshTimes);
    return {
      target: target.name,
      messages: LONG_MESSAGES,
      longP50: longSummary.p50,
      longP99: longSummary.p99,
      freshP50: freshSummary.p50,
      freshP99: freshSummary.p99,
      ratio: ratio(longSummary.p50, freshSummary.p50),
      failures,
    };
  } finally {
    await client.close();
  }
}

export async function benchLongConversation(options: { quick: boolean }): Promise<LongConversationResult> {
  const requests = options.quick ? 40 : 300;
  const stack = await startStack({ defaults: SHAPE });
  const rows: LongConversationRow[] = [];
  try {
    for (const target of stack.pollybots) {
      process.stdout.write(`long conversation: ${target.name}, ${LONG_MESSAGES} messages\n`);
      rows.push(await measure(target, requests));
    }
  } finally {
    await stack.stop();
  }
  const checks: Check[] = rows.map((row) => ({
    scenario: 'long conversation',
    figure: `${row.target}: a message in a ${row.messages}-message conversation, to a fresh one (p50)`,
    value: formatRatio(row.ratio),
    target: `<= ${MAX_RATIO}x`,
    met: atMost(row.ratio, MAX_RATIO) && row.failures === 0,
  }));
  printTable(
    `JSON chat in a ${LONG_MESSAGES}-message conversation and in fresh ones (one earlier exchange), ` +
      `${requests} requests each, one at a time, interleaved.`,
    rows.map((row) => ({
      target: row.target,
      'long p50': formatMs(row.longP50),
      'long p99': formatMs(row.longP99),
      'fresh p50': formatMs(row.freshP50),
      'fresh p99': formatMs(row.freshP99),
      'x fresh': formatRatio(row.ratio),
      failures: row.failures,
    })),
  );
  return { requests, rows, checks };
}
