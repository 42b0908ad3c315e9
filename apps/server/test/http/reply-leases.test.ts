import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endLapsedReplies } from '../../src/features/chat/end-lapsed-replies.ts';
import { deferred } from '../helpers/deferred.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { deltaText, eventsOnly, parseSse, type SseEvent } from '../helpers/sse.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.ts';

// An instance that stalls longer than a reply's lease (its renewals could not be written) finds the reply ended
// by a sweep when it renews again: it stops generating, and its own client is answered the ending that was
// stored, never a second end. Time moves by the injected clock.

const LEASE_MS = 1000;
const WORDS = Array.from({ length: 30 }, (_, index) => `word${index}`).join(' ');

describe('a reply whose lease lapsed while its instance lived', () => {
  let fake: FakeOpenAi;
  let server: TestServer;
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    server = await startTestServer(
      {
        OPENAI_BASE_URL: fake.baseUrl,
        OPENAI_API_KEY: 'sk-upstream-leases',
        POLLYBOT_REPLY_LEASE_MS: String(LEASE_MS),
      },
      { clock },
    );
  });

  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('stops generating once a sweep ended it, and answers its client the stored ending, uncharged', async () => {
    const { apiKey } = await server.createWorkspace(10);
    const chatbot = await server.createChatbot(apiKey, { model: 'openai/gpt-test' });
    const held = deferred();
    try {
      fake.queue({ text: WORDS, pauseAfterChunks: { count: 4, until: held.promise }, interTokenDelayMs: 2 });
      const response = await server.chat(apiKey, chatbot.id, { message: 'Tell me', stream: true });
      expect(response.status).toBe(200);
      let text = '';
      const reading = (async () => {
        const decoder = new TextDecoder();
        for await (const chunk of response.body ?? [])
          text += decoder.decode(chunk as Uint8Array, { stream: true });
      })();
      await eventually(() => text.includes('event: delta'));
      const [start] = eventsOnly(parseSse(text));
      const { conversationId, messageId } = (start as SseEvent).data as {
        conversationId: string;
        messageId: string;
      };
      const path = `/api/v1/chatbots/${chatbot.id}/conversations/${conversationId}/messages/${messageId}`;
      await eventually(async () => (await server.api(apiKey).get(path)).body.data.content.length > 0);

      // The instance's renewals stop landing for longer than the lease; another instance's sweep ends the reply.
      // The sweep reads a clock further on than any renewal the stalled instance may still write meanwhile
      // (its lease reaches one lease past its own clock), so a renewal racing the sweep cannot hide the lapse.
      offsetMs += LEASE_MS + 1;
      const sweepClock = { now: () => new Date(clock.now().getTime() + 5 * LEASE_MS) };
      const ended = await endLapsedReplies({
        database: server.services.database,
        clock: sweepClock,
        ids: server.services.ids,
        journal: server.services.replyJournal,
      });
      expect(ended).toBe(1);

      // The upstream is still held: the stream ends only because the generation stopped on its own.
      await reading;
      const events = eventsOnly(parseSse(text));
      const stored = (await server.api(apiKey).get(path)).body.data;
      expect(stored).toMatchObject({ status: 'incomplete', usage: null });
      expect(WORDS.startsWith(stored.content)).toBe(true);
      expect(deltaText(events)).toBe(stored.content);
      expect(events.filter((event) => event.event === 'done' || event.event === 'error')).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({
        id: `${stored.content.length}-end`,
        event: 'done',
        data: { success: true, data: { response: stored.content, messageId, usage: { credits: 0 } } },
      });
      expect((await server.api(apiKey).get('/api/v1/workspace')).body.data.credits).toBe(10);
    } finally {
      held.resolve();
    }
  });
});
