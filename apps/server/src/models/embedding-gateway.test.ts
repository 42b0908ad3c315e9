import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FAKE_EMBEDDING_DIMENSIONS,
  type FakeOpenAi,
  fakeEmbedding,
  startFakeOpenAi,
} from '../../test/helpers/fake-openai.ts';
import { AppError } from '../errors/app-error.ts';
import { createEmbeddingService, type EmbeddingService } from './embedding-gateway.ts';

function unit(values: number[]): number[] {
  const length = Math.hypot(...values);
  return values.map((value) => value / length);
}

function expectCloseVector(actual: Float32Array | undefined, expected: number[]) {
  expect(actual).toHaveLength(expected.length);
  for (const [index, value] of expected.entries()) expect(actual?.[index]).toBeCloseTo(value, 6);
}

describe('createEmbeddingService', () => {
  it('answers undefined when no embedding model is configured', () => {
    expect(createEmbeddingService(undefined, {})).toBeUndefined();
    expect(createEmbeddingService('', {})).toBeUndefined();
  });

  it.each(['text-embedding-3-small', 'openai/', '/model', 'azure/ada', 'local/bigger-encoder'])(
    'refuses "%s", listing the accepted forms',
    (spec) => {
      expect(() => createEmbeddingService(spec, {})).toThrow(
        /Accepted: local\/sentence-encoder .*openai\/<model> .*ollama\/<model>/,
      );
    },
  );

  it('names each model by its spec, which is what chunks store', () => {
    expect(createEmbeddingService('openai/text-embedding-3-small', {})?.modelId).toBe(
      'openai/text-embedding-3-small',
    );
    expect(createEmbeddingService('ollama/nomic-embed-text', {})?.modelId).toBe('ollama/nomic-embed-text');
    expect(createEmbeddingService('local/sentence-encoder', {})?.modelId).toBe('local/sentence-encoder');
  });
});

describe('OpenAI embeddings over HTTP', () => {
  let fake: FakeOpenAi;
  let service: EmbeddingService;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    const created = createEmbeddingService(
      'openai/text-embedding-3-small',
      { openaiApiKey: 'sk-upstream-test', openaiBaseUrl: fake.baseUrl },
      { timeoutMs: 1_000, maxRetries: 0 },
    );
    if (!created) throw new Error('no service');
    service = created;
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.embeddingRequests.length = 0;
  });

  it('sends the texts in one request and answers the provider’s vectors scaled to unit length', async () => {
    const texts = ['Refunds go back to your card', 'Parcels ship in two days'];

    const vectors = await service.embed(texts);

    expect(vectors).toHaveLength(2);
    for (const [index, text] of texts.entries()) expectCloseVector(vectors[index], unit(fakeEmbedding(text)));
    expect(vectors[0]).toHaveLength(FAKE_EMBEDDING_DIMENSIONS);
    expect(fake.embeddingRequests).toHaveLength(1);
    expect(fake.embeddingRequests[0]?.body).toMatchObject({
      model: 'text-embedding-3-small',
      input: texts,
      encoding_format: 'float',
    });
    expect(fake.embeddingRequests[0]?.headers.authorization).toBe('Bearer sk-upstream-test');
    expect(fake.requests).toHaveLength(0);
  });

  it('sends nothing for no texts', async () => {
    expect(await service.embed([])).toEqual([]);
    expect(fake.embeddingRequests).toHaveLength(0);
  });

  it('reports a provider failure by its status, never with the provider’s body', async () => {
    fake.queueEmbeddings({
      status: 401,
      errorBody: {
        error: { message: 'Incorrect API key provided: sk-upstream-test', type: 'invalid_request_error' },
      },
    });

    const failure = await service.embed(['hello']).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({
      code: 'AI_PROVIDER_ERROR',
      message: 'openai/text-embedding-3-small: the provider answered with status 401',
    });
    expect((failure as Error).message).not.toContain('sk-upstream-test');
  });

  it('fails with AI_PROVIDER_TIMEOUT when the provider goes silent', async () => {
    fake.queueEmbeddings({ hang: true });

    await expect(service.embed(['hello'])).rejects.toMatchObject({ code: 'AI_PROVIDER_TIMEOUT' });
  });

  it('hands back the caller’s own abort as it is, and the request is cut', async () => {
    fake.queueEmbeddings({ hang: true });
    const controller = new AbortController();
    const reason = new Error('client left');

    const pending = service.embed(['hello'], controller.signal);
    await expect.poll(() => fake.embeddingRequests.length).toBe(1);
    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
    await expect.poll(() => fake.embeddingRequests[0]?.clientAborted).toBe(true);
  });

  it('fails with AI_PROVIDER_ERROR when nothing listens at the address', async () => {
    const unreachable = createEmbeddingService(
      'openai/text-embedding-3-small',
      { openaiBaseUrl: 'http://127.0.0.1:9/v1' },
      { maxRetries: 0 },
    );

    await expect(unreachable?.embed(['hello'])).rejects.toMatchObject({
      code: 'AI_PROVIDER_ERROR',
      message: 'openai/text-embedding-3-small: the provider could not be reached',
    });
  });
});

describe('Ollama embeddings over HTTP', () => {
  it('posts the texts to /api/embed and answers unit vectors', async () => {
    const received: { url: string | undefined; body: { model: string; input: string[] } }[] = [];
    // Ollama's own wire format for /api/embed.
    const server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; input: string[] };
      received.push({ url: request.url, body });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          model: body.model,
          embeddings: body.input.map((text) => fakeEmbedding(text)),
          total_duration: 1000,
          load_duration: 10,
          prompt_eval_count: body.input.length,
        }),
      );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const service = createEmbeddingService('ollama/nomic-embed-text', {
        ollamaBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      });

      const [vector] = (await service?.embed(['where is my parcel'])) ?? [];

      expect(received).toEqual([
        { url: '/api/embed', body: { model: 'nomic-embed-text', input: ['where is my parcel'] } },
      ]);
      expectCloseVector(vector, unit(fakeEmbedding('where is my parcel')));
    } finally {
      server.close();
      await once(server, 'close');
    }
  });
});
