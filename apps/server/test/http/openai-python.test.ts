import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { openAiBaseUrl } from '../helpers/openai-door.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// Python's official `openai` package as the client (docs/decisions/0012-openai-clients-as-tests.md): run when the
// Python it finds (POLLYBOT_TEST_PYTHON, else python3) can import it, skipped with the reason otherwise.

const python = process.env.POLLYBOT_TEST_PYTHON ?? 'python3';
const probe = spawnSync(python, ['-c', 'import openai; print(openai.__version__)'], { encoding: 'utf8' });
const skipReason =
  probe.status === 0
    ? undefined
    : `${python} cannot import openai (${probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)}): ` +
      'install it with pip (PyPI, or a local wheel index); Debian bookworm has no python3-openai';
const script = fileURLToPath(new URL('../fixtures/openai/python-client.py', import.meta.url));

let fake: FakeOpenAi;
let server: TestServer;

beforeAll(async () => {
  if (skipReason) return;
  fake = await startFakeOpenAi();
  server = await startTestServer({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-upstream-test' });
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe.skipIf(skipReason)(
  `Python's openai package against /api/openai/v1${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    it('creates a completion, streams one with include_usage, lists models, and raises its typed errors', async () => {
      const { apiKey } = await server.createWorkspace(1000);
      const bot = await server.createChatbot(apiKey, { model: 'openai/gpt-test', name: 'Python bot' });
      fake.queue(
        { text: 'Hi there, friend.', usage: { promptTokens: 12, completionTokens: 4 } },
        { text: 'one two three', usage: { promptTokens: 6, completionTokens: 3 } },
      );

      const { stdout } = await promisify(execFile)(python, [script], {
        env: {
          ...process.env,
          POLLYBOT_BASE_URL: openAiBaseUrl(server.baseUrl),
          POLLYBOT_API_KEY: apiKey,
          POLLYBOT_MODEL: bot.id,
        },
      });
      const seen = JSON.parse(stdout);

      expect(seen.completion).toEqual({
        id: expect.any(String),
        content: 'Hi there, friend.',
        finish_reason: 'stop',
        usage: expect.objectContaining({ prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 }),
        extension: {
          conversationId: expect.any(String),
          messageId: seen.completion.id,
          credits: 1,
          sources: [],
        },
      });
      expect(seen.stream.text).toBe('one two three');
      expect(seen.stream.finish_reasons.at(-1)).toBe('stop');
      expect(seen.stream.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 3, total_tokens: 9 });
      expect(seen.models).toEqual([bot.id]);
      expect(seen.unknown_model).toEqual({
        class: 'NotFoundError',
        status: 404,
        code: 'model_not_found',
        param: 'model',
      });
      expect(seen.bad_key).toMatchObject({
        class: 'AuthenticationError',
        status: 401,
        code: 'invalid_api_key',
      });
      expect(seen.unsupported).toEqual({
        class: 'BadRequestError',
        status: 400,
        code: 'unsupported_value',
        param: 'n',
      });
    });
  },
);
