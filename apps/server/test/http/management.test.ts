import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMessages } from '../../src/db/conversations.repository.ts';
import { type ApiResponse, startTestServer, type TestServer } from '../helpers/test-server.ts';

// Time moves only when a test says so, so "updatedAt moves" never depends on the millisecond a request lands in.
let clockOffsetMs = 0;
const clock = { now: () => new Date(Date.now() + clockOffsetMs) };
const advanceClock = (ms: number) => {
  clockOffsetMs += ms;
};

let server: TestServer;

beforeAll(async () => {
  // No provider but the built-in one is configured: openai/* and anthropic/* are unavailable here.
  server = await startTestServer({}, { clock });
});

afterAll(async () => {
  await server.close();
});

/** Follows `nextCursor` from the first page to the last, keeping every page. */
async function readAllPages(apiKey: string, path: string, limit: number) {
  const pages: ApiResponse[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: ApiResponse = await server.api(apiKey).get(`${path}${query}`);
    expect(page.status).toBe(200);
    pages.push(page);
    cursor = page.body.nextCursor;
    if (pages.length > 20) throw new Error('pagination never ended');
  } while (cursor !== null);
  return pages;
}

async function startConversation(apiKey: string, chatbotId: string, message: string) {
  const response = await server.api(apiKey).post(`/api/v1/chatbots/${chatbotId}/chat`, { message });
  expect(response.status).toBe(200);
  return response.body.data as { conversationId: string; messageId: string; response: string };
}

describe('GET /api/v1/workspace', () => {
  it('answers the key’s own workspace with its name and credit balance', async () => {
    const { workspaceId, apiKey } = await server.createWorkspace(321, 'Acme support');

    const response = await server.api(apiKey).get('/api/v1/workspace');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: true,
      data: { id: workspaceId, name: 'Acme support', credits: 321 },
    });
  });
});

describe('chatbots', () => {
  it('creates a chatbot with the documented defaults and answers 201', async () => {
    const { apiKey } = await server.createWorkspace();

    const response = await server.api(apiKey).post('/api/v1/chatbots', { name: 'Support bot' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      success: true,
      data: {
        id: expect.any(String),
        name: 'Support bot',
        instructions: 'You are a helpful assistant.',
        model: 'local/pollybot',
        temperature: 0.7,
        maxTokens: 1024,
        streaming: false,
        rateLimit: { requests: 60, windowSeconds: 60 },
        fallbackMessage: null,
        status: 'active',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    });
    const { createdAt, updatedAt } = response.body.data;
    expect(new Date(createdAt).toISOString()).toBe(createdAt);
    expect(updatedAt).toBe(createdAt);
  });

  it('reads back exactly what was created, every field given', async () => {
    const { apiKey } = await server.createWorkspace();
    const fields = {
      name: 'Pirate',
      instructions: 'Talk like a pirate.',
      temperature: 1.2,
      maxTokens: 300,
      streaming: true,
      rateLimit: { requests: 5, windowSeconds: 10 },
      status: 'inactive',
    };
    const created = await server.createChatbot(apiKey, fields);

    const response = await server.api(apiKey).get(`/api/v1/chatbots/${created.id}`);

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual(created);
    expect(response.body.data).toMatchObject({ ...fields, model: 'local/pollybot' });
  });

  it('PATCH changes only the given fields and moves updatedAt', async () => {
    const { apiKey } = await server.createWorkspace();
    const created = await server.createChatbot(apiKey, {
      name: 'Before',
      instructions: 'Stay the same.',
      temperature: 0.2,
      maxTokens: 100,
      rateLimit: { requests: 7, windowSeconds: 70 },
    });
    advanceClock(5_000);

    const response = await server
      .api(apiKey)
      .patch(`/api/v1/chatbots/${created.id}`, { name: 'After', temperature: 1.5 });

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      ...created,
      name: 'After',
      temperature: 1.5,
      updatedAt: expect.any(String),
    });
    expect(Date.parse(response.body.data.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt as string));
    const reread = await server.api(apiKey).get(`/api/v1/chatbots/${created.id}`);
    expect(reread.body.data).toEqual(response.body.data);
  });

  it('keeps a temperature to 6 decimal places, so one too small for a PostgreSQL real is stored as 0, not a 500', async () => {
    const { apiKey } = await server.createWorkspace();

    const created = await server
      .api(apiKey)
      .post('/api/v1/chatbots', { name: 'Precise', temperature: 5.4e-323 });
    const patched = await server
      .api(apiKey)
      .patch(`/api/v1/chatbots/${created.body.data?.id}`, { temperature: 0.1234567 });

    expect(created.status, created.text).toBe(201);
    expect(created.body.data.temperature).toBe(0);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.data.temperature).toBe(0.123457);
  });

  it('PATCH of a nested rate limit or status leaves everything else alone', async () => {
    const { apiKey } = await server.createWorkspace();
    const created = await server.createChatbot(apiKey, { name: 'Limits' });

    const response = await server.api(apiKey).patch(`/api/v1/chatbots/${created.id}`, {
      rateLimit: { requests: 3, windowSeconds: 30 },
      status: 'inactive',
    });

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      ...created,
      rateLimit: { requests: 3, windowSeconds: 30 },
      status: 'inactive',
      updatedAt: expect.any(String),
    });
  });

  it('DELETE removes the chatbot and its conversations; it then answers 404', async () => {
    const { apiKey } = await server.createWorkspace();
    const bot = await server.createChatbot(apiKey, { name: 'Short-lived' });
    const first = await startConversation(apiKey, bot.id, 'Hello');
    const second = await startConversation(apiKey, bot.id, 'Hello again');
    const client = server.api(apiKey);

    const deleted = await client.delete(`/api/v1/chatbots/${bot.id}`);

    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ success: true, data: { id: bot.id, deleted: true } });
    for (const response of [
      await client.get(`/api/v1/chatbots/${bot.id}`),
      await client.patch(`/api/v1/chatbots/${bot.id}`, { name: 'Back?' }),
      await client.delete(`/api/v1/chatbots/${bot.id}`),
      await client.get(`/api/v1/chatbots/${bot.id}/conversations`),
      await client.get(`/api/v1/chatbots/${bot.id}/conversations/${first.conversationId}`),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ success: false, code: 'CHATBOT_NOT_FOUND' });
    }
    const conversationIds = [first.conversationId, second.conversationId];
    const conversations = await server.services.db
      .selectFrom('conversations')
      .select('id')
      .where('id', 'in', conversationIds)
      .execute();
    const messages = await server.services.db
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', 'in', conversationIds)
      .execute();
    expect(conversations).toEqual([]);
    expect(messages).toEqual([]);
  });

  it('lists newest first in pages of ?limit, ending with a null nextCursor and no duplicates or gaps', async () => {
    const { apiKey } = await server.createWorkspace();
    const createdIds: string[] = [];
    for (let index = 1; index <= 5; index++) {
      createdIds.push((await server.createChatbot(apiKey, { name: `Bot ${index}` })).id);
    }

    const pages = await readAllPages(apiKey, '/api/v1/chatbots', 2);

    expect(pages.map((page) => page.body.data.length)).toEqual([2, 2, 1]);
    expect(pages.map((page) => page.body.nextCursor === null)).toEqual([false, false, true]);
    const listedIds = pages.flatMap((page) => page.body.data.map((bot: { id: string }) => bot.id));
    expect(listedIds).toEqual([...createdIds].reverse());
    expect(pages[0]?.body.data[0]).toMatchObject({ name: 'Bot 5', model: 'local/pollybot' });
  });

  it('lists only the key’s own workspace', async () => {
    const mine = await server.createWorkspace();
    const theirs = await server.createWorkspace();
    const myBot = await server.createChatbot(mine.apiKey, { name: 'Mine' });
    const theirBot = await server.createChatbot(theirs.apiKey, { name: 'Theirs' });

    const list = await server.api(mine.apiKey).get('/api/v1/chatbots');
    const read = await server.api(mine.apiKey).get(`/api/v1/chatbots/${theirBot.id}`);

    expect(list.body.data.map((bot: { id: string }) => bot.id)).toEqual([myBot.id]);
    expect(read.status).toBe(404);
    expect(read.body).toMatchObject({ code: 'CHATBOT_NOT_FOUND' });
  });

  it.each([
    ['a model without a provider', 'gpt-4o'],
    ['an unknown provider', 'acme/model-1'],
    ['a provider with no model name', 'openai/'],
  ])('refuses %s with 400 VALIDATION_ERROR', async (_case, model) => {
    const { apiKey } = await server.createWorkspace();

    const response = await server.api(apiKey).post('/api/v1/chatbots', { name: 'Bad model', model });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
    expect(response.body.error).toContain('model');
  });

  it('refuses a model whose provider is not configured, saying which variable to set', async () => {
    const { apiKey } = await server.createWorkspace();
    const client = server.api(apiKey);

    const anthropic = await client.post('/api/v1/chatbots', { name: 'Claude', model: 'anthropic/claude-x' });
    const openai = await client.post('/api/v1/chatbots', { name: 'GPT', model: 'openai/gpt-4o' });

    expect(anthropic.status).toBe(400);
    expect(anthropic.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
    expect(anthropic.body.error).toMatch(/anthropic.*not configured.*ANTHROPIC_API_KEY/i);
    expect(openai.status).toBe(400);
    expect(openai.body.error).toMatch(/openai.*not configured.*OPENAI_API_KEY/i);
    const list = await client.get('/api/v1/chatbots');
    expect(list.body.data).toEqual([]);
  });

  it('refuses to PATCH a chatbot to an unconfigured provider and leaves it unchanged', async () => {
    const { apiKey } = await server.createWorkspace();
    const bot = await server.createChatbot(apiKey, { name: 'Stays local' });

    const response = await server
      .api(apiKey)
      .patch(`/api/v1/chatbots/${bot.id}`, { name: 'Renamed', model: 'anthropic/claude-x' });

    expect(response.status).toBe(400);
    expect(response.body.error).toContain('ANTHROPIC_API_KEY');
    const reread = await server.api(apiKey).get(`/api/v1/chatbots/${bot.id}`);
    expect(reread.body.data).toEqual(bot);
  });
});

describe('API keys', () => {
  it('creates a key (201) whose secret is sk-workspace_ and 32+ base62 characters, and that key works', async () => {
    const { workspaceId, apiKey } = await server.createWorkspace();

    const response = await server.api(apiKey).post('/api/v1/api-keys', { name: 'CI' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      success: true,
      data: {
        id: expect.any(String),
        name: 'CI',
        key: expect.stringMatching(/^sk-workspace_[0-9A-Za-z]{32,}$/),
        prefix: expect.any(String),
        createdBy: null,
        createdAt: expect.any(String),
      },
    });
    const { key, prefix } = response.body.data;
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix.length).toBeLessThan(key.length - 24);
    const workspace = await server.api(key).get('/api/v1/workspace');
    expect(workspace.status).toBe(200);
    expect(workspace.body.data.id).toBe(workspaceId);
  });

  it('lists keys with their prefix and never their secret; lastUsedAt is set once a key is used', async () => {
    const { apiKey } = await server.createWorkspace();
    const created = (await server.api(apiKey).post('/api/v1/api-keys', { name: 'Reporting' })).body.data;

    const before = await server.api(apiKey).get('/api/v1/api-keys');
    await server.api(created.key).get('/api/v1/chatbots');
    const after = await server.api(apiKey).get('/api/v1/api-keys');

    expect(before.status).toBe(200);
    expect(before.body.nextCursor).toBeNull();
    expect(before.body.data).toHaveLength(2);
    for (const item of [...before.body.data, ...after.body.data]) {
      expect(Object.keys(item).sort()).toEqual([
        'createdAt',
        'createdBy',
        'id',
        'lastUsedAt',
        'name',
        'prefix',
        'revokedAt',
      ]);
    }
    expect(before.text).not.toContain(created.key);
    expect(before.text).not.toContain(apiKey);
    expect(after.text).not.toContain(created.key);
    const listed = (response: ApiResponse) =>
      response.body.data.find((item: { id: string }) => item.id === created.id);
    expect(listed(before)).toEqual({
      id: created.id,
      name: 'Reporting',
      prefix: created.prefix,
      createdBy: null,
      createdAt: created.createdAt,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(listed(after).lastUsedAt).toEqual(expect.any(String));
    expect(Number.isNaN(Date.parse(listed(after).lastUsedAt))).toBe(false);
  });

  it('stores only a hash and the display prefix: no column of api_keys holds the secret', async () => {
    const { apiKey } = await server.createWorkspace();
    const created = (await server.api(apiKey).post('/api/v1/api-keys', { name: 'Audit' })).body.data;
    const secretPart = created.key.slice(created.prefix.length);

    const row = await server.services.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();

    expect(row.prefix).toBe(created.prefix);
    for (const value of Object.values(row)) {
      expect(String(value)).not.toContain(created.key);
      expect(String(value)).not.toContain(secretPart);
      expect(String(value)).not.toContain(secretPart.slice(0, 16));
    }
  });

  it('DELETE revokes a key: later use is 401 INVALID_API_KEY and revoking again is 404 API_KEY_NOT_FOUND', async () => {
    const { apiKey } = await server.createWorkspace();
    const created = (await server.api(apiKey).post('/api/v1/api-keys', { name: 'Temporary' })).body.data;
    expect((await server.api(created.key).get('/api/v1/workspace')).status).toBe(200);

    const revoked = await server.api(apiKey).delete(`/api/v1/api-keys/${created.id}`);
    const laterUse = await server.api(created.key).get('/api/v1/workspace');
    const again = await server.api(apiKey).delete(`/api/v1/api-keys/${created.id}`);

    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ success: true, data: { id: created.id, revoked: true } });
    expect(laterUse.status).toBe(401);
    expect(laterUse.body).toEqual({
      success: false,
      error: 'Invalid or inactive API key',
      code: 'INVALID_API_KEY',
    });
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ success: false, code: 'API_KEY_NOT_FOUND' });
    const list = await server.api(apiKey).get('/api/v1/api-keys');
    const listed = list.body.data.find((item: { id: string }) => item.id === created.id);
    expect(listed.revokedAt).toEqual(expect.any(String));
    expect((await server.api(apiKey).get('/api/v1/workspace')).status).toBe(200);
  });

  it('cannot revoke another workspace’s key: 404 API_KEY_NOT_FOUND, and that key keeps working', async () => {
    const mine = await server.createWorkspace();
    const theirs = await server.createWorkspace();
    const theirKey = (await server.api(theirs.apiKey).post('/api/v1/api-keys', { name: 'Theirs' })).body.data;

    const response = await server.api(mine.apiKey).delete(`/api/v1/api-keys/${theirKey.id}`);

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'API_KEY_NOT_FOUND' });
    expect((await server.api(theirKey.key).get('/api/v1/workspace')).status).toBe(200);
  });
});

describe('conversations', () => {
  it('lists a chatbot’s conversations newest first, in pages, with a null nextCursor on the last', async () => {
    const { apiKey } = await server.createWorkspace();
    const bot = await server.createChatbot(apiKey, { name: 'Talker' });
    const other = await server.createChatbot(apiKey, { name: 'Other' });
    const startedIds: string[] = [];
    for (const message of ['one', 'two', 'three']) {
      startedIds.push((await startConversation(apiKey, bot.id, message)).conversationId);
    }
    await startConversation(apiKey, other.id, 'elsewhere');

    const pages = await readAllPages(apiKey, `/api/v1/chatbots/${bot.id}/conversations`, 2);

    expect(pages.map((page) => page.body.data.length)).toEqual([2, 1]);
    expect(pages.at(-1)?.body.nextCursor).toBeNull();
    const listed = pages.flatMap((page) => page.body.data);
    expect(listed.map((conversation: { id: string }) => conversation.id)).toEqual([...startedIds].reverse());
    for (const conversation of listed) {
      expect(conversation).toEqual({
        id: expect.any(String),
        chatbotId: bot.id,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    }
  });

  it('reads a conversation with its messages oldest first', async () => {
    const { apiKey } = await server.createWorkspace();
    const bot = await server.createChatbot(apiKey, { name: 'Memory' });
    const client = server.api(apiKey);
    const first = await startConversation(apiKey, bot.id, 'First question');
    const second = await client.post(`/api/v1/chatbots/${bot.id}/chat`, {
      message: 'Second question',
      conversationId: first.conversationId,
    });

    const response = await client.get(`/api/v1/chatbots/${bot.id}/conversations/${first.conversationId}`);

    expect(response.status).toBe(200);
    const { messages, ...conversation } = response.body.data;
    expect(conversation).toEqual({
      id: first.conversationId,
      chatbotId: bot.id,
      channel: 'api',
      visitor: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(
      messages.map((message: { role: string; content: string }) => [message.role, message.content]),
    ).toEqual([
      ['user', 'First question'],
      ['assistant', first.response],
      ['user', 'Second question'],
      ['assistant', second.body.data.response],
    ]);
    expect(messages[1].id).toBe(first.messageId);
    expect(messages[3].id).toBe(second.body.data.messageId);
    const times = messages.map((message: { createdAt: string }) => Date.parse(message.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(messages[3]).toMatchObject({
      status: 'complete',
      metadata: null,
      usage: { credits: 1 },
      feedback: null,
    });
  });

  it('reads a 10,000-message conversation a page at a time, oldest first, 100 by default and at most 500', async () => {
    const { apiKey, workspaceId } = await server.createWorkspace();
    const bot = await server.createChatbot(apiKey, { name: 'Talkative' });
    const { conversationId } = await startConversation(apiKey, bot.id, 'Message 0');
    // The rest written straight to the database: 10,000 messages in all, ids in order of creation.
    const now = new Date().toISOString();
    const rows = Array.from({ length: 9_998 }, (_, index) => ({
      id: server.services.ids(),
      conversation_id: conversationId,
      workspace_id: workspaceId,
      role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: `Message ${index + 2}`,
      metadata: null,
      status: 'complete' as const,
      model: null,
      input_tokens: null,
      output_tokens: null,
      credits: null,
      user_id: null,
      sources: null,
      error_code: null,
      created_at: now,
    }));
    for (let start = 0; start < rows.length; start += 500) {
      await insertMessages(server.services.db, rows.slice(start, start + 500));
    }
    const client = server.api(apiKey);
    const path = `/api/v1/chatbots/${bot.id}/conversations/${conversationId}`;

    const first = await client.get(path);

    expect(first.status, first.text).toBe(200);
    expect(first.body.data.messages).toHaveLength(100);
    expect(first.body.data.messages[0].content).toBe('Message 0');
    expect(first.body.data.messages[2].content).toBe('Message 2');
    expect(first.body.nextCursor).toBe(first.body.data.messages[99].id);

    const contents: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=500&cursor=${cursor}` : '?limit=500';
      const page = await client.get(`${path}${query}`);
      expect(page.status, page.text).toBe(200);
      expect(page.body.data.messages.length).toBeLessThanOrEqual(500);
      contents.push(...page.body.data.messages.map((message: { content: string }) => message.content));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);

    expect(pages).toBe(20);
    expect(contents).toHaveLength(10_000);
    expect(contents[1]).toBe(first.body.data.messages[1].content);
    expect(contents.slice(2)).toEqual(rows.map((row) => row.content));
    for (const limit of ['0', '501', 'many']) {
      const refused = await client.get(`${path}?limit=${limit}`);
      expect(refused.status, refused.text).toBe(400);
      expect(refused.body.code).toBe('VALIDATION_ERROR');
    }
  });

  it('DELETE removes a conversation: reading or deleting it again is 404 CONVERSATION_NOT_FOUND', async () => {
    const { apiKey } = await server.createWorkspace();
    const bot = await server.createChatbot(apiKey, { name: 'Forgetful' });
    const kept = await startConversation(apiKey, bot.id, 'Keep me');
    const doomed = await startConversation(apiKey, bot.id, 'Forget me');
    const client = server.api(apiKey);
    const path = `/api/v1/chatbots/${bot.id}/conversations/${doomed.conversationId}`;

    const deleted = await client.delete(path);
    const read = await client.get(path);
    const deletedAgain = await client.delete(path);

    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ success: true, data: { id: doomed.conversationId, deleted: true } });
    for (const response of [read, deletedAgain]) {
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ success: false, code: 'CONVERSATION_NOT_FOUND' });
    }
    const list = await client.get(`/api/v1/chatbots/${bot.id}/conversations`);
    expect(list.body.data.map((conversation: { id: string }) => conversation.id)).toEqual([
      kept.conversationId,
    ]);
    const messages = await server.services.db
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', doomed.conversationId)
      .execute();
    expect(messages).toEqual([]);
  });

  it('does not find a conversation through another chatbot of the same workspace', async () => {
    const { apiKey } = await server.createWorkspace();
    const bot = await server.createChatbot(apiKey, { name: 'Owner' });
    const other = await server.createChatbot(apiKey, { name: 'Not the owner' });
    const { conversationId } = await startConversation(apiKey, bot.id, 'Private');

    const read = await server.api(apiKey).get(`/api/v1/chatbots/${other.id}/conversations/${conversationId}`);
    const deleted = await server
      .api(apiKey)
      .delete(`/api/v1/chatbots/${other.id}/conversations/${conversationId}`);

    expect(read.status).toBe(404);
    expect(read.body).toMatchObject({ code: 'CONVERSATION_NOT_FOUND' });
    expect(deleted.status).toBe(404);
    const stillThere = await server
      .api(apiKey)
      .get(`/api/v1/chatbots/${bot.id}/conversations/${conversationId}`);
    expect(stillThere.status).toBe(200);
  });
});
