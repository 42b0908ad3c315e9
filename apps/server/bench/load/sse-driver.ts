import { performance } from 'node:perf_hooks';
import { readSseStream } from '@pollybot/contracts/sse-reader';
import { Pool } from 'undici';
import type { ChatEndpoint } from '../targets.ts';

// Server-Sent Events load, which autocannon cannot time: how long until the first `event: delta` and until
// the terminal event (`done` or `error`) of each stream, over keep-alive connections (undici), each stream
// read with the project's SSE reader.

type StreamTiming = { firstDeltaMs: number; completeMs: number; ok: boolean };

export type StreamsResult = {
  firstDelta: number[];
  complete: number[];
  completed: number;
  failures: number;
  seconds: number;
};

function poolFor(endpoint: ChatEndpoint, connections: number): { pool: Pool; path: string } {
  const url = new URL(endpoint.url);
  return {
    pool: new Pool(url.origin, {
      connections,
      keepAliveTimeout: 60_000,
      headersTimeout: 120_000,
      bodyTimeout: 0,
    }),
    path: `${url.pathname}${url.search}`,
  };
}

/**
 * Sends one streaming request and reads it. `onFirstDelta` fires when the first delta arrives; the promise
 * resolves when the stream ends (its terminal event, or the connection's end).
 */
async function readStream(
  pool: Pool,
  path: string,
  endpoint: ChatEndpoint,
  body: string,
  onFirstDelta?: () => void,
): Promise<StreamTiming> {
  const start = performance.now();
  let firstDeltaMs = Number.NaN;
  let ok = false;
  const response = await pool.request({ path, method: 'POST', headers: endpoint.headers, body });
  if (response.statusCode !== 200) {
    await response.body.dump();
    return { firstDeltaMs, completeMs: performance.now() - start, ok };
  }
  for await (const message of readSseStream(response.body)) {
    if (Number.isNaN(firstDeltaMs) && message.event === 'delta') {
      firstDeltaMs = performance.now() - start;
      onFirstDelta?.();
    }
    if (message.event === 'done') ok = true;
    if (message.event === 'error') break;
  }
  return { firstDeltaMs, completeMs: performance.now() - start, ok };
}

/** `concurrency` clients streaming back to back, for `seconds` or until `count` streams have ended. */
export async function runStreams(options: {
  endpoint: ChatEndpoint;
  body: string;
  concurrency: number;
  seconds?: number;
  count?: number;
}): Promise<StreamsResult> {
  const { pool, path } = poolFor(options.endpoint, options.concurrency);
  const result: StreamsResult = { firstDelta: [], complete: [], completed: 0, failures: 0, seconds: 0 };
  const start = performance.now();
  const deadline = start + (options.seconds ?? Number.POSITIVE_INFINITY) * 1000;
  let started = 0;
  const client = async () => {
    while (performance.now() < deadline && started < (options.count ?? Number.POSITIVE_INFINITY)) {
      started++;
      const timing = await readStream(pool, path, options.endpoint, options.body).catch(() => undefined);
      if (timing?.ok) {
        result.completed++;
        result.firstDelta.push(timing.firstDeltaMs);
        result.complete.push(timing.completeMs);
      } else {
        result.failures++;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, client));
    result.seconds = (performance.now() - start) / 1000;
  } finally {
    await pool.destroy();
  }
  return result;
}

export type HeldStreams = {
  /** Streams that have had their first delta and not ended. */
  openNow: () => number;
  close: () => Promise<void>;
};

/**
 * Opens `count` streams whose replies the upstream holds after their first token, `batch` at a time (so
 * the listen queues never overflow), and resolves once each has had its first delta or failed.
 */
export async function openHeldStreams(
  endpoint: ChatEndpoint,
  body: string,
  count: number,
  batch: number,
): Promise<HeldStreams> {
  const { pool, path } = poolFor(endpoint, count);
  let openNow = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      let held = false;
      readStream(pool, path, endpoint, body, () => {
        held = true;
        openNow++;
        resolve();
      })
        .catch(() => undefined)
        .then(() => {
          if (held) openNow--;
          resolve();
        });
    });
  for (let done = 0; done < count; done += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - done) }, open));
  }
  return {
    openNow: () => openNow,
    close: async () => {
      await pool.destroy().catch(() => undefined);
    },
  };
}
