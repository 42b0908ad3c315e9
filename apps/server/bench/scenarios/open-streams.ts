import { setTimeout as sleep } from 'node:timers/promises';
import type { ReplyShape } from '../fake-upstream.ts';
import { openHeldStreams, runStreams } from '../load/sse-driver.ts';
import { readOpenFileLimit, readResidentBytes } from '../processes.ts';
import { atMost, type Check, formatKb, formatRatio, printTable, ratio } from '../report.ts';
import { type ChatTarget, chatBody, startStack } from '../targets.ts';

// Thousands of streams open at once: the upstream sends each reply's first token and then holds it, and the
// server's resident memory (VmRSS) with them open, less before, divided by their number, is what one open
// stream costs. Each target is measured alone, after a warm-up, so the figure is the streams' own.

const HELD: ReplyShape = { tokens: 5, firstTokenDelayMs: 0, interTokenDelayMs: 600_000 };
const WARM: ReplyShape = { tokens: 50, firstTokenDelayMs: 0, interTokenDelayMs: 0 };
const MAX_BYTES_PER_STREAM = 100 * 1024;
const BATCH = 250;

type OpenStreamsRow = {
  target: string;
  streams: number;
  failures: number;
  residentBefore: number;
  residentWith: number;
  bytesPerStream: number;
  /** To the baseline proxy's bytes per stream. */
  memoryRatio: number;
};

export type OpenStreamsResult = {
  streams: number;
  openFileLimit: number;
  rows: OpenStreamsRow[];
  checks: Check[];
};

/** Resident memory once it has settled: the lowest of a few readings a moment apart (GC runs in between). */
async function settledResident(pid: number, readings: number): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY;
  for (let reading = 0; reading < readings; reading++) {
    await sleep(500);
    lowest = Math.min(lowest, readResidentBytes(pid));
  }
  return lowest;
}

async function measure(
  target: ChatTarget,
  streams: number,
  quick: boolean,
): Promise<Omit<OpenStreamsRow, 'memoryRatio'>> {
  const readings = quick ? 1 : 4;
  const warm = await target.chatEndpoint(WARM);
  const held = await target.chatEndpoint(HELD);
  const body = chatBody(target, HELD, { stream: true });
  await runStreams({ endpoint: warm, body, concurrency: 32, count: quick ? 100 : 400 });
  // A few held streams first, so what they allocate once (pools, buffers, compiled code) is in "before".
  const few = await openHeldStreams(held, body, 50, 50);
  await few.close();
  const residentBefore = await settledResident(target.pid, readings);
  process.stdout.write(`open streams: ${target.name}, opening ${streams}\n`);
  const open = await openHeldStreams(held, body, streams, BATCH);
  const residentWith = await settledResident(target.pid, readings);
  const count = open.openNow();
  await open.close();
  return {
    target: target.name,
    streams: count,
    failures: streams - count,
    residentBefore,
    residentWith,
    bytesPerStream: (residentWith - residentBefore) / Math.max(1, count),
  };
}

export async function benchOpenStreams(options: { quick: boolean }): Promise<OpenStreamsResult> {
  const streams = options.quick ? 500 : 5_000;
  // Each open stream holds a socket in the client, two in PollyBot (client and upstream) and one in the fake.
  const { soft } = readOpenFileLimit();
  if (soft < streams * 2 + 1_000) {
    throw new Error(
      `open streams: ${streams} streams need an open-file limit above ${streams * 2 + 1_000} (ulimit -n is ${soft})`,
    );
  }
  const rows: Omit<OpenStreamsRow, 'memoryRatio'>[] = [];
  // A fresh set of servers: replies the upstream holds stay in PollyBot after their clients leave (a reply
  // is generated to its end without its connection), and must not weigh on other scenarios.
  const stack = await startStack({
    baseline: true,
    // The held replies are silent for longer than the default provider timeout would allow.
    pollybotEnv: { AI_PROVIDER_TIMEOUT_MS: '900000' },
  });
  try {
    for (const target of [stack.baseline as ChatTarget, ...stack.pollybots]) {
      rows.push(await measure(target, streams, options.quick));
    }
  } finally {
    await stack.stop();
  }
  const reference = rows[0]?.bytesPerStream ?? Number.NaN;
  const withRatios = rows.map((row) => ({ ...row, memoryRatio: ratio(row.bytesPerStream, reference) }));
  const checks: Check[] = withRatios.slice(1).map((row) => ({
    scenario: 'open streams',
    figure: `${row.target}: memory per open stream (${row.streams} open)`,
    value: formatKb(row.bytesPerStream),
    target: `<= ${MAX_BYTES_PER_STREAM / 1024} KB`,
    met: atMost(row.bytesPerStream, MAX_BYTES_PER_STREAM) && row.failures === 0,
  }));
  printTable(
    `${streams} streams open at once (the upstream holds each after its first token): resident memory of the ` +
      `server process before and with them open. Open-file limit: ${soft}.`,
    withRatios.map((row) => ({
      target: row.target,
      open: row.streams,
      failures: row.failures,
      'RSS before': `${(row.residentBefore / 1024 / 1024).toFixed(0)} MB`,
      'RSS with streams': `${(row.residentWith / 1024 / 1024).toFixed(0)} MB`,
      'per stream': formatKb(row.bytesPerStream),
      'x baseline': formatRatio(row.memoryRatio),
    })),
  );
  return { streams, openFileLimit: soft, rows: withRatios, checks };
}
