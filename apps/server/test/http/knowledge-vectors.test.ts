import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { type ApiResponse, eventually, startTestServer, type TestServer } from '../helpers/test-server.ts';

// Vector search beside full text, end to end: with an embedding model configured, chunks are embedded at
// ingestion and questions at chat time, and a passage that shares no word with the question is still found.

const HANDBOOK = `# Refunds
Refunds are paid to the card you used within five days of the parcel reaching our warehouse.

# Opening hours
The shop opens at nine and closes at six, Monday to Saturday.`;

async function addHandbook(server: TestServer, apiKey: string, chatbotId: string): Promise<string> {
  const client = server.api(apiKey);
  const created = await client.post(`/api/v1/chatbots/${chatbotId}/knowledge`, {
    kind: 'text',
    title: 'Handbook',
    content: HANDBOOK,
  });
  expect(created.status, created.text).toBe(201);
  let source: ApiResponse['body'] = {};
  await eventually(async () => {
    source = (await client.get(`/api/v1/chatbots/${chatbotId}/knowledge/${created.body.data.id}`)).body.data;
    return source.status !== 'queued' && source.status !== 'processing';
  }, 60_000);
  expect(source).toMatchObject({ status: 'ready', error: null });
  return source.id;
}

async function storedEmbeddings(server: TestServer, sourceId: string) {
  return server.services.db
    .selectFrom('knowledge_chunks')
    .select(['embedding', 'embedding_model'])
    .where('source_id', '=', sourceId)
    .execute();
}

describe('with the built-in offline embedding model', () => {
  let server: TestServer;
  let apiKey: string;

  beforeAll(async () => {
    server = await startTestServer({ POLLYBOT_EMBEDDING_MODEL: 'local/sentence-encoder' });
    ({ apiKey } = await server.createWorkspace(100));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers a question that shares no word with its passage, citing it', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const sourceId = await addHandbook(server, apiKey, chatbot.id);
    const chunks = await storedEmbeddings(server, sourceId);
    expect(chunks).toHaveLength(2);
    for (const chunk of chunks) {
      expect(chunk.embedding_model).toBe('local/sentence-encoder');
      expect(chunk.embedding?.byteLength).toBe(512 * 4);
    }
    // Full text alone finds nothing: no word of the question is in the handbook.
    const lexical = await server.services.db
      .selectFrom('knowledge_chunks')
      .select('content')
      .where('source_id', '=', sourceId)
      .execute();
    for (const word of ['get', 'money', 'back']) {
      expect(lexical.some((chunk) => chunk.content.toLowerCase().includes(word))).toBe(false);
    }

    const reply = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/chat`, {
      message: 'How do I get my money back?',
    });

    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.data.response).toContain('Refunds are paid to the card');
    expect(reply.body.data.sources).toEqual([expect.objectContaining({ id: sourceId, title: 'Handbook' })]);
  });
});

describe('with an OpenAI-compatible embedding model', () => {
  let server: TestServer;
  let openai: FakeOpenAi;
  let apiKey: string;

  beforeAll(async () => {
    openai = await startFakeOpenAi();
    server = await startTestServer({
      OPENAI_BASE_URL: openai.baseUrl,
      POLLYBOT_EMBEDDING_MODEL: 'openai/text-embedding-3-small',
      AI_PROVIDER_MAX_RETRIES: '0',
    });
    ({ apiKey } = await server.createWorkspace(100));
  });
  afterAll(async () => {
    await server?.close();
    await openai?.close();
  });

  it('embeds chunks at ingestion and the question at chat time through the provider', async () => {
    const chatbot = await server.createChatbot(apiKey);
    openai.embeddingRequests.length = 0;
    const sourceId = await addHandbook(server, apiKey, chatbot.id);

    expect(openai.embeddingRequests).toHaveLength(1);
    expect(openai.embeddingRequests[0]?.body).toMatchObject({ model: 'text-embedding-3-small' });
    expect((await storedEmbeddings(server, sourceId)).map((chunk) => chunk.embedding_model)).toEqual([
      'openai/text-embedding-3-small',
      'openai/text-embedding-3-small',
    ]);

    const reply = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/chat`, {
      message: 'When does the shop open on Saturday?',
    });

    expect(reply.status).toBe(200);
    expect(reply.body.data.response).toContain('opens at nine');
    expect(openai.embeddingRequests.at(-1)?.body).toMatchObject({
      input: ['When does the shop open on Saturday?'],
    });
  });

  it('answers from full text when the embedding model fails at chat time', async () => {
    const chatbot = await server.createChatbot(apiKey);
    await addHandbook(server, apiKey, chatbot.id);
    openai.queueEmbeddings({ status: 500, errorBody: { error: { message: 'overloaded' } } });

    const reply = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/chat`, {
      message: 'When does the shop open on Saturday?',
    });

    expect(reply.status).toBe(200);
    expect(reply.body.data.response).toContain('opens at nine');
    expect(server.logLines.join('\n')).toContain('the embedding model failed: searching full text alone');
  });

  it('fails a source whose chunks the embedding model cannot embed, saying why', async () => {
    const chatbot = await server.createChatbot(apiKey);
    openai.queueEmbeddings({ status: 401, errorBody: { error: { message: 'bad key' } } });
    const created = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/knowledge`, {
      kind: 'text',
      title: 'Handbook',
      content: HANDBOOK,
    });
    let source: ApiResponse['body'] = {};
    await eventually(async () => {
      const path = `/api/v1/chatbots/${chatbot.id}/knowledge/${created.body.data.id}`;
      source = (await server.api(apiKey).get(path)).body.data;
      return source.status === 'failed' || source.status === 'ready';
    }, 30_000);

    expect(source.status).toBe('failed');
    expect(source.error).toMatch(/^the embedding model failed: .*401/);
    expect(source.error).not.toContain('bad key');
  });
});
