import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, streamText } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { openAiBaseUrl } from '../helpers/openai-door.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// The Vercel AI SDK's OpenAI-compatible provider (`@ai-sdk/openai-compatible`), configured with PollyBot's base
// URL and a workspace key: generateText and streamText as an application would call them.

let fake: FakeOpenAi;
let server: TestServer;
let apiKey: string;
let pollybot: ReturnType<typeof createOpenAICompatible>;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await startTestServer({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-upstream-test' });
  ({ apiKey } = await server.createWorkspace(1000));
  pollybot = createOpenAICompatible({
    name: 'pollybot',
    baseURL: openAiBaseUrl(server.baseUrl),
    apiKey,
    includeUsage: true,
  });
});

afterAll(async () => {
  await server.close();
  await fake.close();
});

beforeEach(() => {
  fake.requests.length = 0;
});

const createBot = () =>
  server.createChatbot(apiKey, { model: 'openai/gpt-test', instructions: 'You are a pirate.' });

describe('@ai-sdk/openai-compatible against /api/openai/v1', () => {
  it('generateText: the text, the finish reason and the usage; its system prompt is appended to the instructions', async () => {
    const bot = await createBot();
    fake.queue({ text: 'Ahoy there.', usage: { promptTokens: 10, completionTokens: 2 } });

    const result = await generateText({
      model: pollybot.chatModel(bot.id),
      system: 'Answer in one line.',
      prompt: 'Hello',
      maxRetries: 0,
    });

    expect(result.text).toBe('Ahoy there.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toMatchObject({ inputTokens: 10, outputTokens: 2, totalTokens: 12 });
    expect(fake.requests[0]?.body.messages).toEqual([
      {
        role: 'system',
        content:
          'You are a pirate.\n\n## Additional instructions from the API request\n\nAnswer in one line.',
      },
      { role: 'user', content: 'Hello' },
    ]);
  });

  it('streamText: the text stream, then the finish reason and the usage', async () => {
    const bot = await createBot();
    fake.queue({ text: 'one two three', usage: { promptTokens: 8, completionTokens: 3 } });

    const result = streamText({ model: pollybot.chatModel(bot.id), prompt: 'Count', maxRetries: 0 });
    const parts: string[] = [];
    for await (const text of result.textStream) parts.push(text);

    expect(parts.join('')).toBe('one two three');
    expect(parts.length).toBeGreaterThan(1);
    expect(await result.finishReason).toBe('stop');
    expect(await result.usage).toMatchObject({ inputTokens: 8, outputTokens: 3, totalTokens: 11 });
  });

  it('streamText: the conversation so far (messages) reaches the provider as history', async () => {
    const bot = await createBot();

    const result = streamText({
      model: pollybot.chatModel(bot.id),
      messages: [
        { role: 'user', content: 'My name is Ada.' },
        { role: 'assistant', content: 'Ahoy, Ada.' },
        { role: 'user', content: 'What is my name?' },
      ],
      maxRetries: 0,
    });
    await result.consumeStream();

    expect(fake.requests[0]?.body.messages.slice(1)).toEqual([
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Ahoy, Ada.' },
      { role: 'user', content: 'What is my name?' },
    ]);
  });

  it('streamText: a failure after the first chunk reaches the stream as an error part, after the text so far', async () => {
    const bot = await createBot();
    fake.queue({ text: 'one two three four', failAfterChunks: { count: 2, how: 'error-chunk' } });
    const errors: unknown[] = [];

    const result = streamText({
      model: pollybot.chatModel(bot.id),
      prompt: 'Count',
      maxRetries: 0,
      onError: ({ error }) => void errors.push(error),
    });
    let text = '';
    const types: string[] = [];
    for await (const part of result.fullStream) {
      types.push(part.type);
      if (part.type === 'text-delta') text += part.text;
    }

    expect(text).toBe('one two ');
    expect(types).toContain('error');
    expect(errors).toHaveLength(1);
  });

  it('generateText: an unknown chatbot is an APICallError with status 404', async () => {
    const failure = await generateText({
      model: pollybot.chatModel('no-such-chatbot'),
      prompt: 'Hello',
      maxRetries: 0,
    }).catch((error: unknown) => error);

    expect(failure).toMatchObject({ name: 'AI_APICallError', statusCode: 404 });
    expect(String((failure as Error).message)).toContain('no-such-chatbot');
  });
});
