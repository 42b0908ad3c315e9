import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { eventsOnly, parseSse } from '../helpers/sse.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.ts';

const HANDBOOK = `# Opening hours
We are open from 9am to 6pm on weekdays. On Saturdays we open at 10am and close at 4pm. We are closed on Sundays.

# Delivery
We deliver within the city for free on orders over 50 euros. Deliveries arrive within two working days.

# Returns
You can return any item within 30 days with its receipt. Refunds go back to the original payment method.`;

const FAQ = [
  { question: 'Do you have parking?', answer: 'Yes, free parking is available behind the shop.' },
  { question: 'Can I pay with a gift card?', answer: 'Gift cards are accepted in the shop and online.' },
];

let server: TestServer;
let openai: FakeOpenAi;
let apiKey: string;

beforeAll(async () => {
  openai = await startFakeOpenAi();
  server = await startTestServer({ OPENAI_BASE_URL: openai.baseUrl });
  ({ apiKey } = await server.createWorkspace(1000));
});

afterAll(async () => {
  await server.close();
  await openai.close();
});

beforeEach(() => {
  openai.requests.length = 0;
});

async function addSource(chatbotId: string, body: Record<string, unknown>) {
  const client = server.api(apiKey);
  const created = await client.post(`/api/v1/chatbots/${chatbotId}/knowledge`, body);
  expect(created.status, created.text).toBe(201);
  const id = created.body.data.id as string;
  await eventually(async () => {
    const read = await client.get(`/api/v1/chatbots/${chatbotId}/knowledge/${id}`);
    return read.body.data?.status === 'ready';
  });
  return { created, id };
}

async function chunkCount(sourceId: string): Promise<number> {
  const rows = await server.services.db
    .selectFrom('knowledge_chunks')
    .select('id')
    .where('source_id', '=', sourceId)
    .execute();
  return rows.length;
}

describe('knowledge sources', () => {
  it('creates a text source answered 201 as queued, which becomes ready with its chunks', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const { created, id } = await addSource(chatbot.id, {
      kind: 'text',
      title: 'Handbook',
      content: HANDBOOK,
    });

    expect(created.body).toMatchObject({
      success: true,
      data: {
        id,
        chatbotId: chatbot.id,
        kind: 'text',
        title: 'Handbook',
        content: HANDBOOK,
        status: 'queued',
      },
    });
    const read = await server.api(apiKey).get(`/api/v1/chatbots/${chatbot.id}/knowledge/${id}`);
    expect(read.body.data).toMatchObject({ status: 'ready', error: null, chunkCount: 3 });
    expect(await chunkCount(id)).toBe(3);
  });

  it('creates a Q&A source with one chunk per pair, and lists sources newest first with a cursor', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const first = await addSource(chatbot.id, { kind: 'qa', title: 'FAQ', pairs: FAQ });
    const second = await addSource(chatbot.id, { kind: 'text', title: 'Handbook', content: HANDBOOK });

    expect(first.created.body.data.pairs).toEqual(FAQ);
    expect(await chunkCount(first.id)).toBe(2);
    const client = server.api(apiKey);
    const page1 = await client.get(`/api/v1/chatbots/${chatbot.id}/knowledge?limit=1`);
    expect(page1.status, page1.text).toBe(200);
    expect(page1.body.data.map((source: { id: string }) => source.id)).toEqual([second.id]);
    const page2 = await client.get(
      `/api/v1/chatbots/${chatbot.id}/knowledge?limit=1&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.data.map((source: { id: string }) => source.id)).toEqual([first.id]);
    expect(page2.body.nextCursor).toBeNull();
  });

  it('answers 400 VALIDATION_ERROR to a source without content or pairs', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const client = server.api(apiKey);
    for (const body of [
      { kind: 'text', title: 'Empty', content: '   ' },
      { kind: 'qa', title: 'No pairs', pairs: [] },
      { kind: 'pdf', title: 'Unknown kind', content: 'x' },
    ]) {
      const response = await client.post(`/api/v1/chatbots/${chatbot.id}/knowledge`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.code).toBe('VALIDATION_ERROR');
    }
  });

  it('deletes a source with its chunks, after which the chatbot no longer answers from it', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const { id } = await addSource(chatbot.id, { kind: 'qa', title: 'FAQ', pairs: FAQ });
    const client = server.api(apiKey);

    const deleted = await client.delete(`/api/v1/chatbots/${chatbot.id}/knowledge/${id}`);

    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body).toEqual({ success: true, data: { id, deleted: true } });
    expect(await chunkCount(id)).toBe(0);
    const read = await client.get(`/api/v1/chatbots/${chatbot.id}/knowledge/${id}`);
    expect(read.status).toBe(404);
    const chat = await client.post(`/api/v1/chatbots/${chatbot.id}/chat`, {
      message: 'Do you have parking?',
      stream: false,
    });
    expect(chat.body.data.response).not.toContain('free parking');
    expect(chat.body.data.sources).toBeUndefined();
  });

  it('answers from a source that became ready after a reply without knowledge, and stops once it is deleted', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const client = server.api(apiKey);
    const ask = async () => {
      const chat = await client.post(`/api/v1/chatbots/${chatbot.id}/chat`, {
        message: 'Do you have parking?',
        stream: false,
      });
      expect(chat.status, chat.text).toBe(200);
      return chat.body.data as { response: string; sources?: { title: string }[] };
    };
    // The chatbot's lack of knowledge is now what a turn knows of it.
    expect((await ask()).sources).toBeUndefined();

    const { id } = await addSource(chatbot.id, { kind: 'qa', title: 'FAQ', pairs: FAQ });
    const withKnowledge = await ask();
    expect(withKnowledge.response).toContain('free parking');
    expect(withKnowledge.sources?.map((source) => source.title)).toEqual(['FAQ']);

    await client.delete(`/api/v1/chatbots/${chatbot.id}/knowledge/${id}`);
    const afterDelete = await ask();
    expect(afterDelete.response).not.toContain('free parking');
    expect(afterDelete.sources).toBeUndefined();
  });

  it('resyncs a source: 202 queued, then ready again with fresh chunks', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const { id } = await addSource(chatbot.id, { kind: 'text', title: 'Handbook', content: HANDBOOK });
    const before = await server.services.db
      .selectFrom('knowledge_chunks')
      .select('id')
      .where('source_id', '=', id)
      .execute();
    const client = server.api(apiKey);

    const resync = await client.post(`/api/v1/chatbots/${chatbot.id}/knowledge/${id}/resync`);

    expect(resync.status, resync.text).toBe(202);
    expect(resync.body.data).toMatchObject({ id, status: 'queued' });
    await eventually(async () => {
      const read = await client.get(`/api/v1/chatbots/${chatbot.id}/knowledge/${id}`);
      return read.body.data?.status === 'ready';
    });
    const after = await server.services.db
      .selectFrom('knowledge_chunks')
      .select('id')
      .where('source_id', '=', id)
      .execute();
    expect(after).toHaveLength(before.length);
    expect(after.map((row) => row.id)).not.toEqual(expect.arrayContaining(before.map((row) => row.id)));
  });

  it('answers 404 KNOWLEDGE_SOURCE_NOT_FOUND for an unknown source or another chatbot’s, and 404 CHATBOT_NOT_FOUND for an unknown chatbot', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const other = await server.createChatbot(apiKey);
    const { id } = await addSource(other.id, { kind: 'qa', title: 'FAQ', pairs: FAQ });
    const client = server.api(apiKey);
    const notFound = {
      success: false,
      error: 'Knowledge source not found',
      code: 'KNOWLEDGE_SOURCE_NOT_FOUND',
    };

    for (const sourceId of ['unknown-source', id]) {
      const base = `/api/v1/chatbots/${chatbot.id}/knowledge/${sourceId}`;
      for (const response of [
        await client.get(base),
        await client.delete(base),
        await client.post(`${base}/resync`),
      ]) {
        expect(response.status, response.text).toBe(404);
        expect(response.body).toEqual(notFound);
      }
    }
    expect(await chunkCount(id)).toBe(2);
    const missingBot = await client.get('/api/v1/chatbots/unknown-bot/knowledge');
    expect(missingBot.status).toBe(404);
    expect(missingBot.body.code).toBe('CHATBOT_NOT_FOUND');
  });
});

describe('answering from knowledge', () => {
  it('the local model answers a Q&A question with its answer verbatim, naming the source', async () => {
    const chatbot = await server.createChatbot(apiKey, { name: 'Shop helper' });
    const { id } = await addSource(chatbot.id, { kind: 'qa', title: 'Shop FAQ', pairs: FAQ });
    await addSource(chatbot.id, { kind: 'text', title: 'Handbook', content: HANDBOOK });

    const chat = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/chat`, {
      message: 'Is there any parking near you?',
      stream: false,
    });

    expect(chat.status, chat.text).toBe(200);
    expect(chat.body.data.response).toBe('Yes, free parking is available behind the shop.');
    expect(chat.body.data.sources[0]).toEqual({
      id,
      title: 'Shop FAQ',
      snippet: 'Q: Do you have parking?\nA: Yes, free parking is available behind the shop.',
    });
  });

  it('the local model answers from the best text passage, and the SSE done event carries the sources', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const { id } = await addSource(chatbot.id, { kind: 'text', title: 'Handbook', content: HANDBOOK });

    const response = await server.chat(apiKey, chatbot.id, {
      message: 'How long do deliveries take?',
      stream: true,
    });
    const events = eventsOnly(parseSse(await response.text()));
    const done = events.find((event) => event.event === 'done');

    if (!done) throw new Error('the stream sent no done event');
    const { data } = done.data as { data: { response: string; sources: { id: string; title: string }[] } };
    expect(data.response).toContain('Deliveries arrive within two working days.');
    expect(data.response).not.toContain('Saturdays');
    expect(data.sources).toEqual([expect.objectContaining({ id, title: 'Handbook' })]);
  });

  it('the local model quotes a table and a list with their line breaks, streamed and stored alike', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const prices = [
      '# Prices',
      'Our delivery prices depend on the zone.',
      '',
      '| Zone | Delivery price |',
      '| ---- | -------------- |',
      '| Town | free |',
      '| Region | 5 euros |',
      '',
      'Other zones:',
      '- Delivery price abroad: 20 euros',
      '- Delivery price to islands: 30 euros',
    ].join('\n');
    await addSource(chatbot.id, { kind: 'text', title: 'Prices', content: prices });

    const response = await server.chat(apiKey, chatbot.id, {
      message: 'What are the delivery prices?',
      stream: true,
    });
    const events = eventsOnly(parseSse(await response.text()));
    const done = events.find((event) => event.event === 'done');

    if (!done) throw new Error('the stream sent no done event');
    const { data } = done.data as { data: { response: string; conversationId: string; messageId: string } };
    expect(data.response).toContain('| Zone | Delivery price |\n| ---- | -------------- |\n| Town | free |');
    expect(data.response).toContain(
      '- Delivery price abroad: 20 euros\n- Delivery price to islands: 30 euros',
    );
    const streamed = events
      .filter((event) => event.event === 'delta')
      .map((event) => (event.data as { content: string }).content)
      .join('');
    expect(streamed).toBe(data.response);
    const stored = await server
      .api(apiKey)
      .get(`/api/v1/chatbots/${chatbot.id}/conversations/${data.conversationId}/messages/${data.messageId}`);
    expect(stored.body.data.content).toBe(data.response);
  });

  it('the local model welcomes a greeting with the topics it knows, and says so when nothing matches', async () => {
    const chatbot = await server.createChatbot(apiKey, { name: 'Shop helper' });
    await addSource(chatbot.id, { kind: 'qa', title: 'Shop FAQ', pairs: FAQ });
    await addSource(chatbot.id, { kind: 'text', title: 'Handbook', content: HANDBOOK });
    const client = server.api(apiKey);

    const hello = await client.post(`/api/v1/chatbots/${chatbot.id}/chat`, {
      message: 'Hello!',
      stream: false,
    });
    const abilities = await client.post(`/api/v1/chatbots/${chatbot.id}/chat`, {
      message: 'What can you do?',
      stream: false,
    });
    const unknown = await client.post(`/api/v1/chatbots/${chatbot.id}/chat`, {
      message: 'Quantum chromodynamics lectures?',
      stream: false,
    });

    for (const reply of [hello, abilities]) {
      expect(reply.body.data.response).toContain("I'm Shop helper");
      expect(reply.body.data.response).toContain('Shop FAQ and Handbook');
    }
    expect(unknown.body.data.response).toContain("couldn't find anything about that");
    expect(unknown.body.data.sources).toEqual([]);
  });

  it('an OpenAI-compatible model receives the matching passages, numbered, in its system prompt after the instructions', async () => {
    const chatbot = await server.createChatbot(apiKey, {
      model: 'openai/gpt-4o-mini',
      instructions: 'You are the shop assistant.',
    });
    await addSource(chatbot.id, { kind: 'text', title: 'Handbook', content: HANDBOOK });
    await addSource(chatbot.id, { kind: 'qa', title: 'Shop FAQ', pairs: FAQ });

    const chat = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/chat`, {
      message: 'Can I return an item I bought last week?',
      stream: false,
    });

    expect(chat.status, chat.text).toBe(200);
    const system =
      openai.requests[0]?.body.messages.find((message) => message.role === 'system')?.content ?? '';
    expect(system.startsWith('You are the shop assistant.')).toBe(true);
    expect(system).toContain('<knowledge>');
    expect(system).toContain(
      '[1] Handbook > Returns\nYou can return any item within 30 days with its receipt.',
    );
    expect(system).not.toContain('free parking');
    expect(chat.body.data.sources).toEqual([
      expect.objectContaining({ title: 'Handbook', snippet: expect.stringContaining('30 days') }),
    ]);
  });

  it('never answers from another chatbot’s knowledge', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const other = await server.createChatbot(apiKey);
    await addSource(chatbot.id, { kind: 'text', title: 'Handbook', content: HANDBOOK });
    await addSource(other.id, { kind: 'qa', title: 'Other FAQ', pairs: FAQ });

    const chat = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/chat`, {
      message: 'Do you have parking?',
      stream: false,
    });

    expect(chat.body.data.response).not.toContain('parking');
    expect(chat.body.data.sources).toEqual([]);
  });
});
