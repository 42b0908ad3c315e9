import type { ReplyShape } from '../fake-upstream.ts';
import { type LoadResult, runJsonLoad } from '../load/json-load.ts';
import {
  atLeast,
  atMost,
  type Check,
  formatMs,
  formatRate,
  formatRatio,
  printTable,
  ratio,
} from '../report.ts';
import { median, rotated } from '../stats.ts';
import { type ChatTarget, chatBody, type PollyBotTarget, startStack } from '../targets.ts';

// JSON chat under load: requests/s and latency at concurrency 1, 16 and 64, every target in turn, repeated,
// medians kept. The upstream answers a 50-token reply instantly, so every millisecond is the server's own.

const SHAPE: ReplyShape = { tokens: 50, firstTokenDelayMs: 0, interTokenDelayMs: 0 };
const CONCURRENCIES = [1, 16, 64];
/** Minimum requests/s at concurrency 16, as a fraction of the baseline's. */
const MIN_THROUGHPUT: Record<PollyBotTarget['backing'], number> = { sqlite: 0.6, postgres: 0.4 };
const MAX_ADDED_P99_MS = 5;

type JsonChatRow = {
  target: string;
  concurrency: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failures: number;
  /** To the baseline proxy at the same concurrency. */
  throughputRatio: number;
  addedP50: number;
  addedP99: number;
};

export type JsonChatResult = { rounds: number; secondsPerRun: number; rows: JsonChatRow[]; checks: Check[] };

export async function benchJsonChat(options: { quick: boolean }): Promise<JsonChatResult> {
  const rounds = options.quick ? 1 : 3;
  const seconds = options.quick ? 1 : 4;
  const stack = await startStack({ baseline: true, defaults: SHAPE });
  try {
    const baseline = stack.baseline as ChatTarget;
    const targets: ChatTarget[] = [stack.upstream, baseline, ...stack.pollybots];
    const requests = await Promise.all(
      targets.map(async (target) => ({
        target,
        endpoint: await target.chatEndpoint(SHAPE),
        body: chatBody(target, SHAPE, { stream: false }),
      })),
    );
    process.stdout.write('json chat: warming up\n');
    for (const { endpoint, body } of requests) await runJsonLoad(endpoint, body, 16, options.quick ? 1 : 3);

    const runs = new Map<string, LoadResult[]>();
    for (let round = 0; round < rounds; round++) {
      for (const concurrency of CONCURRENCIES) {
        // Each round starts with another target, so none always runs on the heels of the same one.
        for (const request of rotated(requests, round)) {
          process.stdout.write(
            `json chat: round ${round + 1}, ${request.target.name}, concurrency ${concurrency}\n`,
          );
          const result = await runJsonLoad(request.endpoint, request.body, concurrency, seconds);
          const key = `${request.target.name}@${concurrency}`;
          runs.set(key, [...(runs.get(key) ?? []), result]);
        }
      }
    }

    const summary = (target: ChatTarget, concurrency: number) => {
      const results = runs.get(`${target.name}@${concurrency}`) ?? [];
      return {
        requestsPerSecond: median(results.map((result) => result.requestsPerSecond)),
        p50: median(results.map((result) => result.p50)),
        p99: median(results.map((result) => result.p99)),
        failures: results.reduce((sum, result) => sum + result.failures, 0),
      };
    };
    const rows: JsonChatRow[] = [];
    for (const concurrency of CONCURRENCIES) {
      const reference = summary(baseline, concurrency);
      for (const target of targets) {
        const figures = summary(target, concurrency);
        rows.push({
          target: target.name,
          concurrency,
          ...figures,
          throughputRatio: ratio(figures.requestsPerSecond, reference.requestsPerSecond),
          addedP50: figures.p50 - reference.p50,
          addedP99: figures.p99 - reference.p99,
        });
      }
    }

    const checks: Check[] = [];
    for (const pollybot of stack.pollybots) {
      const row = rows.find((entry) => entry.target === pollybot.name && entry.concurrency === 16);
      if (!row) continue;
      const minimum = MIN_THROUGHPUT[pollybot.backing];
      checks.push(
        {
          scenario: 'json chat',
          figure: `${pollybot.name}: requests/s at concurrency 16, to the baseline's`,
          value: formatRatio(row.throughputRatio),
          target: `>= ${minimum}x`,
          met: atLeast(row.throughputRatio, minimum) && row.failures === 0,
        },
        {
          scenario: 'json chat',
          figure: `${pollybot.name}: p99 added at concurrency 16`,
          value: formatMs(row.addedP99),
          target: `<= ${MAX_ADDED_P99_MS} ms`,
          met: atMost(row.addedP99, MAX_ADDED_P99_MS),
        },
      );
    }

    printTable(
      `JSON chat, 50-token replies from an instant upstream: medians of ${rounds} round(s) of ${seconds} s per ` +
        'target and concurrency; ratios and added latency against the baseline proxy.',
      rows.map((row) => ({
        target: row.target,
        concurrency: row.concurrency,
        'requests/s': formatRate(row.requestsPerSecond),
        'x baseline': formatRatio(row.throughputRatio),
        p50: formatMs(row.p50),
        p99: formatMs(row.p99),
        'added p99': formatMs(row.addedP99),
        failures: row.failures,
      })),
    );
    return { rounds, secondsPerRun: seconds, rows, checks };
  } finally {
    await stack.stop();
  }
}
