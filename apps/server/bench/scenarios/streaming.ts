import type { ReplyShape } from '../fake-upstream.ts';
import { runStreams, type StreamsResult } from '../load/sse-driver.ts';
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
import { median, percentile, rotated } from '../stats.ts';
import { type ChatTarget, chatBody, startStack } from '../targets.ts';

// Streaming chat: time to the first `delta` event and to the end of a 50-token reply, one stream at a time
// (an upstream that takes 10 ms to its first token and 2 ms between tokens); then how many streams a
// second each target completes, 16 at a time, when the upstream answers instantly.

const PACED: ReplyShape = { tokens: 50, firstTokenDelayMs: 10, interTokenDelayMs: 2 };
const INSTANT: ReplyShape = { tokens: 50, firstTokenDelayMs: 0, interTokenDelayMs: 0 };
const THROUGHPUT_CONCURRENCY = 16;
const MAX_ADDED_FIRST_TOKEN_MS = 2;
const MIN_STREAM_THROUGHPUT = 0.5;

type StreamingRow = {
  target: string;
  firstDeltaP50: number;
  firstDeltaP99: number;
  completeP50: number;
  completeP99: number;
  addedFirstDeltaP50: number;
  addedCompleteP50: number;
  streamsPerSecond: number;
  throughputRatio: number;
  failures: number;
};

export type StreamingResult = { rounds: number; rows: StreamingRow[]; checks: Check[] };

export async function benchStreaming(options: { quick: boolean }): Promise<StreamingResult> {
  const rounds = options.quick ? 1 : 3;
  const streamsPerRound = options.quick ? 15 : 60;
  const seconds = options.quick ? 1 : 4;
  const stack = await startStack({ baseline: true });
  try {
    const baseline = stack.baseline as ChatTarget;
    const targets: ChatTarget[] = [baseline, ...stack.pollybots];
    const setups = await Promise.all(
      targets.map(async (target) => ({
        target,
        paced: await target.chatEndpoint(PACED),
        instant: await target.chatEndpoint(INSTANT),
        body: chatBody(target, PACED, { stream: true }),
      })),
    );
    process.stdout.write('streaming: warming up\n');
    for (const setup of setups) {
      await runStreams({
        endpoint: setup.instant,
        body: setup.body,
        concurrency: 16,
        seconds: options.quick ? 1 : 2,
      });
    }

    const latency = new Map<string, { firstDelta: number[]; complete: number[]; failures: number }>();
    const throughput = new Map<string, StreamsResult[]>();
    for (let round = 0; round < rounds; round++) {
      for (const setup of rotated(setups, round)) {
        const name = setup.target.name;
        process.stdout.write(`streaming: round ${round + 1}, ${name}\n`);
        const timed = await runStreams({
          endpoint: setup.paced,
          body: setup.body,
          concurrency: 1,
          count: streamsPerRound,
        });
        const entry = latency.get(name) ?? { firstDelta: [], complete: [], failures: 0 };
        entry.firstDelta.push(...timed.firstDelta);
        entry.complete.push(...timed.complete);
        entry.failures += timed.failures;
        latency.set(name, entry);
        const load = await runStreams({
          endpoint: setup.instant,
          body: setup.body,
          concurrency: THROUGHPUT_CONCURRENCY,
          seconds,
        });
        throughput.set(name, [...(throughput.get(name) ?? []), load]);
      }
    }

    const figures = (target: ChatTarget) => {
      const entry = latency.get(target.name) ?? { firstDelta: [], complete: [], failures: 0 };
      const firstDelta = [...entry.firstDelta].sort((a, b) => a - b);
      const complete = [...entry.complete].sort((a, b) => a - b);
      const loads = throughput.get(target.name) ?? [];
      return {
        firstDeltaP50: percentile(firstDelta, 0.5),
        firstDeltaP99: percentile(firstDelta, 0.99),
        completeP50: percentile(complete, 0.5),
        completeP99: percentile(complete, 0.99),
        streamsPerSecond: median(loads.map((load) => load.completed / load.seconds)),
        failures: entry.failures + loads.reduce((sum, load) => sum + load.failures, 0),
      };
    };
    const reference = figures(baseline);
    const rows: StreamingRow[] = targets.map((target) => {
      const own = figures(target);
      return {
        target: target.name,
        ...own,
        addedFirstDeltaP50: own.firstDeltaP50 - reference.firstDeltaP50,
        addedCompleteP50: own.completeP50 - reference.completeP50,
        throughputRatio: ratio(own.streamsPerSecond, reference.streamsPerSecond),
      };
    });

    const checks: Check[] = [];
    for (const row of rows.slice(1)) {
      checks.push(
        {
          scenario: 'streaming',
          figure: `${row.target}: time to first token added (p50)`,
          value: formatMs(row.addedFirstDeltaP50),
          target: `<= ${MAX_ADDED_FIRST_TOKEN_MS} ms`,
          met: atMost(row.addedFirstDeltaP50, MAX_ADDED_FIRST_TOKEN_MS),
        },
        {
          scenario: 'streaming',
          figure: `${row.target}: streams/s with an instant upstream, to the baseline's`,
          value: formatRatio(row.throughputRatio),
          target: `>= ${MIN_STREAM_THROUGHPUT}x`,
          met: atLeast(row.throughputRatio, MIN_STREAM_THROUGHPUT) && row.failures === 0,
        },
      );
    }

    printTable(
      `Streaming chat, 50-token replies. First delta and full stream: ${rounds * streamsPerRound} streams one at ` +
        `a time, upstream ${PACED.firstTokenDelayMs} ms to its first token and ${PACED.interTokenDelayMs} ms ` +
        `between tokens. Streams/s: ${THROUGHPUT_CONCURRENCY} at a time for ${seconds} s, instant upstream, ` +
        `median of ${rounds} round(s).`,
      rows.map((row) => ({
        target: row.target,
        'first delta p50': formatMs(row.firstDeltaP50),
        'first delta p99': formatMs(row.firstDeltaP99),
        'added first delta': formatMs(row.addedFirstDeltaP50),
        'full stream p50': formatMs(row.completeP50),
        'added full stream': formatMs(row.addedCompleteP50),
        'streams/s': formatRate(row.streamsPerSecond),
        'x baseline': formatRatio(row.throughputRatio),
        failures: row.failures,
      })),
    );
    return { rounds, rows, checks };
  } finally {
    await stack.stop();
  }
}
