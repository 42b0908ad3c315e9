import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { percentile } from '../stats.ts';
import type { ChatEndpoint } from '../targets.ts';

export type LoadResult = {
  /** Successful (2xx) replies per second. */
  requestsPerSecond: number;
  /** Milliseconds, of successful replies. */
  p50: number;
  p99: number;
  replies: number;
  failures: number;
};

/**
 * `connections` clients sending `body` to the endpoint back to back for `seconds` (autocannon). Latency is
 * taken from every reply's own timing, not autocannon's whole-millisecond histogram.
 */
export async function runJsonLoad(
  endpoint: ChatEndpoint,
  body: string,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const instance = autocannon({
    url: endpoint.url,
    method: 'POST',
    headers: endpoint.headers,
    body,
    connections,
    duration: seconds,
    timeout: 30,
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / Math.max(result.duration, 0.01),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    replies: latencies.length,
    failures: result.non2xx + result.errors,
  };
}

export type JsonClient = {
  /** Sends one request and answers its status, parsed body and duration (milliseconds). */
  send: (body: string) => Promise<{ status: number; json: unknown; ms: number }>;
  close: () => Promise<void>;
};

/** One keep-alive connection to the endpoint's server, for requests timed one at a time. */
export function createJsonClient(endpoint: ChatEndpoint): JsonClient {
  const url = new URL(endpoint.url);
  const pool = new Pool(url.origin, { connections: 1, keepAliveTimeout: 60_000 });
  return {
    send: async (body) => {
      const start = performance.now();
      const response = await pool.request({
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: endpoint.headers,
        body,
      });
      const json: unknown = await response.body.json();
      return { status: response.statusCode, json, ms: performance.now() - start };
    },
    close: () => pool.close(),
  };
}
