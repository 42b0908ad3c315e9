import { describe, expect, it } from 'vitest';
import { createEmbeddingService } from './embedding-gateway.ts';
import {
  createLocalEmbeddingModel,
  LOCAL_EMBEDDING_DIMENSIONS,
  LOCAL_EMBEDDING_MODEL,
  LocalEmbeddingError,
} from './local-embedding-model.ts';

const dot = (a: Float32Array, b: Float32Array) =>
  a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);

const REFUNDS =
  'Refunds. If you are not happy with your purchase, send it back within 30 days and we refund the full price to the card you paid with.';
const SHIPPING =
  'Shipping. Orders leave our warehouse within two working days and a courier delivers them to your door.';
const HOURS = 'Opening hours. The shop opens at nine in the morning and closes at six in the evening.';

// The real model, loaded offline from its npm package.
describe('local sentence encoder', () => {
  const service = createEmbeddingService(`local/${LOCAL_EMBEDDING_MODEL}`, {});

  it('is an AI SDK embedding model of the local provider', () => {
    const model = createLocalEmbeddingModel();

    expect(model).toMatchObject({
      specificationVersion: 'v3',
      provider: 'local',
      modelId: 'sentence-encoder',
    });
    expect(model.maxEmbeddingsPerCall).toBeGreaterThan(0);
  });

  it('answers one vector of 512 dimensions per text, in order, an empty text included', async () => {
    const result = await createLocalEmbeddingModel().doEmbed({ values: ['first text', '', 'third text'] });

    expect(result.embeddings).toHaveLength(3);
    for (const vector of result.embeddings) expect(vector).toHaveLength(LOCAL_EMBEDDING_DIMENSIONS);
    expect(result.embeddings[0]).not.toEqual(result.embeddings[2]);
    expect(result.warnings).toEqual([]);
  });

  it('puts a question nearer the passage that answers it than the others', async () => {
    if (!service) throw new Error('no service');
    const [refunds, shipping, hours, moneyBack, arrival] = await service.embed([
      REFUNDS,
      SHIPPING,
      HOURS,
      'How do I get my money back?',
      'When will my order arrive?',
    ]);
    if (!refunds || !shipping || !hours || !moneyBack || !arrival) throw new Error('missing vectors');

    expect(dot(moneyBack, refunds)).toBeGreaterThan(dot(moneyBack, shipping));
    expect(dot(moneyBack, refunds)).toBeGreaterThan(dot(moneyBack, hours));
    expect(dot(arrival, shipping)).toBeGreaterThan(dot(arrival, refunds));
    expect(dot(arrival, shipping)).toBeGreaterThan(dot(arrival, hours));
  });

  it('embeds more texts than one call takes, in unit vectors that do not depend on the batch', async () => {
    if (!service) throw new Error('no service');
    const texts = Array.from({ length: 40 }, (_, index) => `Question number ${index} about our products`);

    const vectors = await service.embed(texts);
    const [alone] = await service.embed([texts[37] ?? '']);

    expect(vectors).toHaveLength(40);
    for (const vector of vectors) expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 5);
    expect(dot(vectors[37] ?? new Float32Array(), alone ?? new Float32Array())).toBeCloseTo(1, 4);
  });

  it('gives up at once for a caller that already left', async () => {
    const controller = new AbortController();
    controller.abort(new Error('client left'));

    await expect(service?.embed(['hello'], controller.signal)).rejects.toThrow('client left');
  });

  it('has one model only', () => {
    expect(() => createLocalEmbeddingModel('bigger-encoder')).toThrow(LocalEmbeddingError);
  });
});
