import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumLedger } from '../../src/db/credits.repository.ts';
import { readCreditBalance } from '../../src/db/workspaces.repository.ts';
import { deferred } from '../helpers/deferred.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { deltaText, eventsOnly, parseSse } from '../helpers/sse.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.ts';

// A client that retries a chat request with the same Idempotency-Key gets the first request's reply: generated
// once and charged once, however many repeats arrive and however close together.

let server: TestServer;
let openai: FakeOpenAi;

beforeAll(async () => {
  openai = await startFakeOpenAi();
  server = await startTestServer({ OPENAI_BASE_URL: openai.baseUrl, AI_PROVIDER_MAX_RETRIES: '0' });
});

afterAll(async () => {
  await server?.close();
  await openai?.close();
});

let keys = 0;
const newKey = () => `retry-${Date.now()}-${keys++}`;

async function setUp(credits = 20) {
  const { apiKey, workspaceId } = await server.createWorkspace(credits);
  const chatbot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
  const send = (body: Record<string, unknown>, key: string) =>
    server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/chat`, body, { 'idempotency-key': key });
  return { apiKey, workspaceId, chatbot, send };
}

describe('Idempotency-Key on POST .../chat', () => {
  it('answers a repeat with the first JSON reply, without a second generation or charge', async () => {
    const { workspaceId, send } = await setUp();
    const key = newKey();
    const before = openai.requests.length;

    const first = await send({ message: 'What are your hours?' }, key);
    const repeat = await send({ message: 'What are your hours?' }, key);

    expect(first.status).toBe(200);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(repeat.headers.get('x-credits-remaining')).toBe('19');
    expect(openai.requests.length).toBe(before + 1);
    expect(await readCreditBalance(server.services.db, workspaceId)).toBe(19);
    expect(await sumLedger(server.services.db, workspaceId)).toBe(19);
  });

  it('replays the same stream to a repeat: the same text and the same done event', async () => {
    const { send } = await setUp();
    const key = newKey();
    const before = openai.requests.length;
    openai.queue({ text: 'One two three four five six seven.' });

    const first = await send({ message: 'Count', stream: true }, key);
    const repeat = await send({ message: 'Count', stream: true }, key);
    const firstEvents = eventsOnly(parseSse(first.text));
    const repeatEvents = eventsOnly(parseSse(repeat.text));

    expect(repeat.status).toBe(200);
    expect(repeat.headers.get('content-type')).toContain('text/event-stream');
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(deltaText(repeatEvents)).toBe(deltaText(firstEvents));
    expect(repeatEvents[0]).toMatchObject({ event: 'start', data: firstEvents[0]?.data });
    expect(repeatEvents.at(-1)?.data).toEqual(firstEvents.at(-1)?.data);
    expect(openai.requests.length).toBe(before + 1);
  });

  it('gives 422 IDEMPOTENCY_KEY_REUSED for the same key with another body or another chatbot', async () => {
    const { apiKey, workspaceId, send } = await setUp();
    const other = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    const key = newKey();
    await send({ message: 'First question' }, key);
    const before = openai.requests.length;

    const otherBody = await send({ message: 'Second question' }, key);
    // `stream` is part of the body: a repeat that asks for the other form is another request.
    const otherForm = await send({ message: 'First question', stream: true }, key);
    const otherChatbot = await server
      .api(apiKey)
      .post(`/api/v1/chatbots/${other.id}/chat`, { message: 'First question' }, { 'idempotency-key': key });

    expect(otherBody.status).toBe(422);
    expect(otherBody.body).toMatchObject({ success: false, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(otherForm.status).toBe(422);
    expect(otherChatbot.status).toBe(422);
    expect(openai.requests.length).toBe(before);
    expect(await sumLedger(server.services.db, workspaceId)).toBe(19);
  });

  it('treats bodies that differ only in key order or unknown fields as the same request', async () => {
    const { send } = await setUp();
    const key = newKey();
    const first = await send({ message: 'Hi', metadata: { a: 1, b: 2 } }, key);
    const repeat = await send({ metadata: { b: 2, a: 1 }, message: 'Hi', ignored: true }, key);

    expect(repeat.status).toBe(200);
    expect(repeat.body.data.messageId).toBe(first.body.data.messageId);
  });

  it('generates once for simultaneous repeats, each answered with the one reply', async () => {
    const { workspaceId, send } = await setUp();
    const key = newKey();
    const held = deferred();
    const before = openai.requests.length;
    openai.queue({
      text: 'A single answer for everyone.',
      pauseAfterChunks: { count: 2, until: held.promise },
    });

    const requests = Array.from({ length: 6 }, () => send({ message: 'Once, please' }, key));
    await eventually(() => openai.requests.length === before + 1);
    held.resolve();
    const responses = await Promise.all(requests);

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(responses.map((response) => response.body.data.messageId)).size).toBe(1);
    expect(
      responses.every((response) => response.body.data.response === 'A single answer for everyone.'),
    ).toBe(true);
    expect(
      responses.filter((response) => response.headers.get('idempotent-replayed') === 'true'),
    ).toHaveLength(5);
    expect(openai.requests.length).toBe(before + 1);
    expect(await sumLedger(server.services.db, workspaceId)).toBe(19);
  });

  it('replays a failed reply as the same failure, and frees the key of a request refused before any reply', async () => {
    const { workspaceId, send } = await setUp(0);
    const key = newKey();

    const refused = await send({ message: 'Hello' }, key);
    await server.services.credits.adjust(workspaceId, 5, 'grant');
    const retried = await send({ message: 'Hello' }, key);

    expect(refused.status).toBe(402);
    expect(retried.status).toBe(200);

    const failingKey = newKey();
    openai.queue({ status: 500 });
    const failed = await send({ message: 'Break' }, failingKey);
    const failedAgain = await send({ message: 'Break' }, failingKey);
    expect(failed.status).toBe(502);
    expect(failedAgain.status).toBe(502);
    expect(failedAgain.body).toEqual(failed.body);
    expect(await readCreditBalance(server.services.db, workspaceId)).toBe(4);
  });

  it('rejects a malformed key with 400 VALIDATION_ERROR before anything is generated', async () => {
    const { send } = await setUp();
    const before = openai.requests.length;

    const tooLong = await send({ message: 'Hi' }, 'k'.repeat(256));
    const blank = await send({ message: 'Hi' }, '   ');

    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ path: 'headers.idempotency-key' }],
    });
    expect(blank.status).toBe(400);
    expect(openai.requests.length).toBe(before);
  });
});

describe('Idempotency-Key after 24 hours', () => {
  it('runs a repeat as a new request once the key is 24 hours old', async () => {
    let now = Date.parse('2026-06-01T09:00:00Z');
    const clocked = await startTestServer(
      { OPENAI_BASE_URL: openai.baseUrl },
      { clock: { now: () => new Date(now) } },
    );
    try {
      const { apiKey } = await clocked.createWorkspace(20);
      const chatbot = await clocked.createChatbot(apiKey, { model: 'openai/gpt-test' });
      const send = () =>
        clocked
          .api(apiKey)
          .post(
            `/api/v1/chatbots/${chatbot.id}/chat`,
            { message: 'Hi' },
            { 'idempotency-key': 'daily-report' },
          );

      const first = await send();
      now += 24 * 60 * 60 * 1000 - 1000;
      const withinWindow = await send();
      now += 2000;
      const afterWindow = await send();

      expect(withinWindow.body.data.messageId).toBe(first.body.data.messageId);
      expect(afterWindow.status).toBe(200);
      expect(afterWindow.body.data.messageId).not.toBe(first.body.data.messageId);
      expect(afterWindow.headers.get('idempotent-replayed')).toBeNull();
    } finally {
      await clocked.close();
    }
  });
});
