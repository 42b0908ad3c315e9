import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, scaledOutAvailability } from '../helpers/databases.ts';
import { deferred } from '../helpers/deferred.ts';
import { type FakeOpenAi, type FakeReply, startFakeOpenAi } from '../helpers/fake-openai.ts';
import {
  killStartedServers,
  openStream,
  type ServerProcess,
  START_TIMEOUT_MS,
  splitGet,
  startServer,
  waitForBaseUrl,
  waitUntilRefused,
} from '../helpers/server-process.ts';
import { eventsOnly, parseSse } from '../helpers/sse.ts';
import { apiClient, eventually, postChat } from '../helpers/test-server.ts';

// A server process killed outright (SIGKILL: no drain, no cleanup) in the middle of chat traffic, on
// PostgreSQL and Redis, then started again: what the database holds must still add up. And a server asked to
// stop (SIGTERM) while a stream runs: it reports itself unready, finishes the stream, and exits cleanly.

const { skipped, skipReason } = scaledOutAvailability();

const ADMIN_TOKEN = 'operator-token-crash-0123456789';
const INITIAL_CREDITS = 200;
/** Reservations left held by a dead instance expire this soon, so the sweep can be watched. */
const RESERVATION_TTL_MS = 2000;
const SLOW_TEXT = 'Every word of this answer arrives a little while after the one before it.';
const TEST_TIMEOUT_MS = 45_000;

/** What one client saw of one chat request. */
type ChatOutcome = {
  kind: 'json' | 'stream';
  status: number | undefined;
  /** The reply the client was given in full: a 200 JSON body or a stream's `done` event. */
  reply: { response: string; messageId: string; credits: number } | undefined;
  /** The message id a stream announced in its `start` event. */
  startedMessageId: string | undefined;
  /** The connection broke before the response was complete. */
  cut: boolean;
};

/** Sends one chat request and reads whatever arrives until the response ends or the connection breaks. */
async function sendChat(
  baseUrl: string,
  apiKey: string,
  chatbotId: string,
  kind: ChatOutcome['kind'],
  message: string,
  onProgress: (text: string) => void = () => {},
): Promise<ChatOutcome> {
  const outcome: ChatOutcome = {
    kind,
    status: undefined,
    reply: undefined,
    startedMessageId: undefined,
    cut: false,
  };
  let text = '';
  try {
    const response = await postChat(baseUrl, apiKey, chatbotId, { message, stream: kind === 'stream' });
    outcome.status = response.status;
    const decoder = new TextDecoder();
    for await (const chunk of response.body ?? []) {
      text += decoder.decode(chunk as Uint8Array, { stream: true });
      onProgress(text);
    }
  } catch {
    outcome.cut = true;
  }
  if (outcome.status !== 200) return outcome;
  if (kind === 'json') {
    if (!outcome.cut) {
      const { data } = JSON.parse(text);
      outcome.reply = { response: data.response, messageId: data.messageId, credits: data.usage.credits };
    }
    return outcome;
  }
  // Only whole events count (the reader leaves out one the cut ended inside).
  const events = eventsOnly(parseSse(text));
  for (const event of events) {
    const data = event.data as { messageId?: string; data?: Record<string, unknown> };
    if (event.event === 'start') outcome.startedMessageId = data.messageId;
    if (event.event === 'done') {
      const reply = data.data as { response: string; messageId: string; usage: { credits: number } };
      outcome.reply = { response: reply.response, messageId: reply.messageId, credits: reply.usage.credits };
    }
  }
  return outcome;
}

describe.skipIf(skipped)(`crash safety on PostgreSQL and Redis${skipReason}`, () => {
  let fake: FakeOpenAi;
  const schemas: { url: string; drop: () => Promise<void> }[] = [];
  const clients: pg.Client[] = [];
  let crashEnv: Record<string, string>;
  let crashing: ServerProcess;
  let second: ServerProcess;
  let crashDatabase: pg.Client;
  let secondDatabase: pg.Client;

  async function environment() {
    const database = await createTestDatabaseUrl('postgres');
    schemas.push(database);
    const client = new pg.Client({ connectionString: database.url });
    clients.push(client);
    await client.connect();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: process.env.TEST_REDIS_URL as string,
      REDIS_KEY_PREFIX: `e2e-crash-${randomBytes(6).toString('hex')}:`,
      POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN,
      POLLYBOT_DEMO: 'false',
      LOG_LEVEL: 'warn',
      OPENAI_BASE_URL: fake.baseUrl,
      OPENAI_API_KEY: 'sk-upstream-crash',
      AI_PROVIDER_MAX_RETRIES: '0',
      POLLYBOT_RESERVATION_TTL_MS: String(RESERVATION_TTL_MS),
      // Replies the crash left generating are ended as soon, once their lease lapses.
      POLLYBOT_REPLY_LEASE_MS: String(RESERVATION_TTL_MS),
      SHUTDOWN_GRACE_MS: '30000',
    };
    return { env, client };
  }

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    // Two instances on two schemas, so the second one's reservation sweep never touches the crashed one's rows.
    const crash = await environment();
    const other = await environment();
    crashEnv = crash.env;
    crashDatabase = crash.client;
    secondDatabase = other.client;
    crashing = startServer(crash.env);
    second = startServer(other.env);
    await Promise.all([waitForBaseUrl(crashing), waitForBaseUrl(second)]);
  }, START_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    await killStartedServers();
    await fake?.close();
    for (const client of clients) await client.end().catch(() => {});
    for (const schema of schemas) await schema.drop();
  });

  async function createWorkspaceAndChatbot(baseUrl: string, credits: number) {
    const created = await apiClient(baseUrl, ADMIN_TOKEN).post('/api/admin/workspaces', {
      name: 'Crash safety',
      credits,
    });
    expect(created.status).toBe(201);
    const { apiKey } = created.body.data as { apiKey: string };
    const chatbot = await apiClient(baseUrl, apiKey).post('/api/v1/chatbots', {
      name: 'Slow bot',
      model: 'openai/gpt-slow',
      rateLimit: { requests: 10_000, windowSeconds: 60 },
    });
    expect(chatbot.status).toBe(201);
    return {
      workspaceId: created.body.data.workspace.id as string,
      apiKey,
      chatbotId: chatbot.body.data.id as string,
    };
  }

  async function readLedger(client: pg.Client, workspaceId: string) {
    const balance = await client.query<{ credits: number }>('select credits from workspaces where id = $1', [
      workspaceId,
    ]);
    const ledger = await client.query<{ total: string }>(
      'select coalesce(sum(amount), 0) as total from credit_ledger where workspace_id = $1',
      [workspaceId],
    );
    const charged = await client.query<{ count: string }>(
      `select count(*) as count from messages
       where workspace_id = $1 and role = 'assistant' and status <> 'failed' and credits > 0`,
      [workspaceId],
    );
    const held = await client.query<{ count: string }>(
      `select count(*) as count from credit_reservations where workspace_id = $1 and status = 'held'`,
      [workspaceId],
    );
    return {
      balance: Number(balance.rows[0]?.credits),
      ledgerSum: Number(ledger.rows[0]?.total),
      chargedReplies: Number(charged.rows[0]?.count),
      held: Number(held.rows[0]?.count),
    };
  }

  it(
    'after a SIGKILL under load, every delivered reply is stored, no credit is kept without a reply, and a restart releases what the crash left held',
    async () => {
      const baseUrl = await waitForBaseUrl(crashing);
      const { workspaceId, apiKey, chatbotId } = await createWorkspaceAndChatbot(baseUrl, INITIAL_CREDITS);
      const stuck = deferred();
      const held: FakeReply = { text: SLOW_TEXT, pauseAfterChunks: { count: 2, until: stuck.promise } };
      fake.defaultReply = { text: SLOW_TEXT, interTokenDelayMs: 15 };
      const outcomes: Promise<ChatOutcome>[] = [];
      try {
        // Two requests the upstream holds mid-answer until after the crash: a stream that has shown the
        // client its first words, and a JSON request still waiting for its reply.
        fake.queue(held);
        let heldStreamText = '';
        outcomes.push(
          sendChat(baseUrl, apiKey, chatbotId, 'stream', 'Held stream', (text) => {
            heldStreamText = text;
          }),
        );
        await eventually(() => heldStreamText.includes('event: delta'), 10_000);
        const upstreamBefore = fake.requests.length;
        fake.queue(held);
        outcomes.push(sendChat(baseUrl, apiKey, chatbotId, 'json', 'Held JSON request'));
        await eventually(() => fake.requests.length > upstreamBefore, 10_000);

        // Then steady load, JSON and streams alternating over six clients, until the kill.
        let killed = false;
        let completed = 0;
        const client = async (worker: number) => {
          for (let turn = 0; !killed; turn++) {
            const kind = (worker + turn) % 2 === 0 ? 'json' : 'stream';
            const outcome = sendChat(baseUrl, apiKey, chatbotId, kind, `Load ${worker}.${turn}`);
            outcomes.push(outcome);
            if ((await outcome).reply) completed++;
          }
        };
        const load = Promise.all(Array.from({ length: 6 }, (_, worker) => client(worker)));
        await eventually(() => completed >= 12, 15_000);
        crashing.signal('SIGKILL');
        killed = true;
        expect((await crashing.waitForExit()).signal).toBe('SIGKILL');
        await load;
        const seen = await Promise.all(outcomes);

        // The load really was mixed and really was cut.
        const delivered = seen.filter((outcome) => outcome.reply);
        expect(delivered.filter((outcome) => outcome.kind === 'json').length).toBeGreaterThan(0);
        expect(delivered.filter((outcome) => outcome.kind === 'stream').length).toBeGreaterThan(0);
        const [heldStream, heldJson] = seen;
        expect(heldStream).toMatchObject({ kind: 'stream', status: 200, cut: true, reply: undefined });
        expect(heldStream?.startedMessageId).toEqual(expect.any(String));
        expect(heldJson).toMatchObject({ kind: 'json', cut: true, reply: undefined });

        // Every reply a client received in full is stored, with exactly the content it was given.
        for (const { reply } of delivered) {
          const stored = await crashDatabase.query(
            'select role, content, status, credits from messages where id = $1',
            [reply?.messageId],
          );
          expect(stored.rows).toEqual([
            { role: 'assistant', content: reply?.response, status: 'complete', credits: reply?.credits },
          ]);
        }
        // The stream cut while its upstream was held left its reply `generating`, with the text so far and no
        // charge: the dead instance can no longer finish it.
        const cut = await crashDatabase.query('select status, credits from messages where id = $1', [
          heldStream?.startedMessageId,
        ]);
        expect(cut.rows).toEqual([{ status: 'generating', credits: null }]);

        // Each settled reservation paid for a stored, non-failed reply, and each charged reply for one of them.
        const settled = await crashDatabase.query<{ reservation: string; message: string | null }>(
          `select r.id as reservation, m.id as message from credit_reservations r
           left join messages m on m.id = r.message_id and m.role = 'assistant' and m.status <> 'failed'
           where r.workspace_id = $1 and r.status = 'settled'`,
          [workspaceId],
        );
        expect(settled.rows.filter((row) => row.message === null)).toEqual([]);
        const atCrash = await readLedger(crashDatabase, workspaceId);
        expect(settled.rows).toHaveLength(atCrash.chargedReplies);
        // Replies stored just before the kill may have been charged without reaching their client; none less.
        expect(atCrash.chargedReplies).toBeGreaterThanOrEqual(
          delivered.filter(({ reply }) => (reply?.credits ?? 0) > 0).length,
        );
        // Whatever was in flight is still held by the dead instance: the balance is short of it for now.
        expect(atCrash.held).toBeGreaterThan(0);
        expect(atCrash.balance).toBe(INITIAL_CREDITS - atCrash.chargedReplies - atCrash.held);
        expect(atCrash.ledgerSum).toBe(atCrash.balance);

        // Started again on the same database and Redis, the instance releases every expired reservation.
        const restarted = startServer(crashEnv);
        const restartedUrl = await waitForBaseUrl(restarted);
        await eventually(async () => (await readLedger(crashDatabase, workspaceId)).held === 0, 10_000);
        const afterSweep = await readLedger(crashDatabase, workspaceId);
        expect(afterSweep.chargedReplies).toBe(atCrash.chargedReplies);
        expect(afterSweep.balance).toBe(INITIAL_CREDITS - afterSweep.chargedReplies);
        expect(afterSweep.ledgerSum).toBe(afterSweep.balance);
        const workspace = await apiClient(restartedUrl, apiKey).get('/api/v1/workspace');
        expect(workspace.body.data.credits).toBe(afterSweep.balance);
        // The lease sweep also ends every reply the crash left generating, each once its lease lapsed:
        // incomplete, still free.
        await eventually(async () => {
          const generating = await crashDatabase.query(
            `select id from messages where workspace_id = $1 and status = 'generating'`,
            [workspaceId],
          );
          return generating.rows.length === 0;
        }, 10_000);
        const left = await crashDatabase.query('select status, credits from messages where id = $1', [
          heldStream?.startedMessageId,
        ]);
        expect(left.rows).toEqual([{ status: 'incomplete', credits: null }]);

        // And it serves again.
        expect((await fetch(`${restartedUrl}/readyz`)).status).toBe(200);
        fake.defaultReply = { text: 'Back after the crash.' };
        const fresh = await sendChat(restartedUrl, apiKey, chatbotId, 'json', 'Are you back?');
        expect(fresh).toMatchObject({
          status: 200,
          reply: { response: 'Back after the crash.', credits: 1 },
        });
        const final = await readLedger(crashDatabase, workspaceId);
        expect(final.balance).toBe(INITIAL_CREDITS - afterSweep.chargedReplies - 1);
        expect(final.ledgerSum).toBe(final.balance);
      } finally {
        stuck.resolve();
        fake.defaultReply = { text: 'Hello from the fake model.' };
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a reply that outlives its reservation, given back by the sweep meanwhile, is never recorded as charged',
    async () => {
      const baseUrl = await waitForBaseUrl(second);
      const { workspaceId, apiKey, chatbotId } = await createWorkspaceAndChatbot(baseUrl, 10);
      const release = deferred();
      fake.queue({
        text: 'This answer took longer than any reservation lasts.',
        pauseAfterChunks: { count: 2, until: release.promise },
      });
      try {
        const pending = sendChat(baseUrl, apiKey, chatbotId, 'json', 'Take your time');
        // Held upstream until the instance's own sweep has taken the reservation for one left by a crash.
        await eventually(async () => {
          const released = await secondDatabase.query(
            `select id from credit_reservations where workspace_id = $1 and status = 'released'`,
            [workspaceId],
          );
          return released.rows.length === 1;
        }, 10_000);
        release.resolve();
        const outcome = await pending;

        expect(outcome).toMatchObject({
          status: 200,
          reply: { response: 'This answer took longer than any reservation lasts.' },
        });
        const stored = await secondDatabase.query('select content, credits from messages where id = $1', [
          outcome.reply?.messageId,
        ]);
        expect(stored.rows).toEqual([{ content: outcome.reply?.response, credits: outcome.reply?.credits }]);
        const books = await readLedger(secondDatabase, workspaceId);
        expect(books.held).toBe(0);
        expect(books.balance).toBe(10 - books.chargedReplies);
        expect(books.ledgerSum).toBe(books.balance);
        expect(books.chargedReplies).toBe(outcome.reply?.credits);
      } finally {
        release.resolve();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'on SIGTERM during a stream, /readyz answers 503 while the stream drains, the stream ends with done, and the exit is 0',
    async () => {
      const baseUrl = await waitForBaseUrl(second);
      const port = Number(new URL(baseUrl).port);
      const { workspaceId, apiKey, chatbotId } = await createWorkspaceAndChatbot(baseUrl, 10);
      const release = deferred();
      fake.queue({
        text: 'A draining server finishes the answer it started.',
        interTokenDelayMs: 10,
        pauseAfterChunks: { count: 2, until: release.promise },
      });
      const agent = new Agent({ keepAlive: true });
      // A probe connection opened before the signal, as a load balancer keeps one: the listener closes on
      // SIGTERM, so a readiness check can only reach the draining server over a connection it already has.
      const probe = splitGet(port, '/readyz');
      try {
        const stream = await openStream(
          agent,
          `${baseUrl}/api/v1/chatbots/${chatbotId}/chat`,
          { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          { message: 'Tell me about draining', stream: true },
        );
        expect(stream.status).toBe(200);
        await stream.waitForText('event: delta');
        await probe.begin();

        second.child.kill('SIGTERM');
        expect(await waitUntilRefused(port)).toBe('ECONNREFUSED');
        const readiness = await probe.complete();

        expect(readiness).toEqual({
          status: 503,
          body: { status: 'unavailable', checks: { database: true, redis: true, accepting: false } },
        });
        expect(stream.text()).not.toContain('event: done');
        expect(second.isRunning()).toBe(true);

        release.resolve();
        await stream.ended;
        const exit = await second.waitForExit();

        const events = eventsOnly(parseSse(stream.text()));
        expect(events.map((event) => event.event).filter((name) => name !== 'delta')).toEqual([
          'start',
          'done',
        ]);
        const done = events.at(-1)?.data as {
          success: boolean;
          data: { response: string; messageId: string; usage: { credits: number } };
        };
        expect(done.success).toBe(true);
        expect(done.data.response).toBe('A draining server finishes the answer it started.');
        expect(
          events
            .filter((event) => event.event === 'delta')
            .map((event) => (event.data as { content: string }).content)
            .join(''),
        ).toBe(done.data.response);
        expect(exit).toEqual({ code: 0, signal: null });
        const stored = await secondDatabase.query('select content, status from messages where id = $1', [
          done.data.messageId,
        ]);
        expect(stored.rows).toEqual([{ content: done.data.response, status: 'complete' }]);
        const charged = done.data.usage.credits;
        expect(await readLedger(secondDatabase, workspaceId)).toEqual({
          balance: 10 - charged,
          ledgerSum: 10 - charged,
          chargedReplies: charged,
          held: 0,
        });
      } finally {
        release.resolve();
        probe.destroy();
        agent.destroy();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
