import { Worker } from 'node:worker_threads';
import type { PreparedSource, SourceJob } from '../prepare-source.ts';
import { DocumentExtractionError } from './extracted-document.ts';
import type { SourceLimits } from './source-limits.ts';

const WORKER_URL = new URL('./document-reader.worker.mjs', import.meta.url);

/** Bounds on reading one document, so that no file can stall or exhaust the server. */
export type ReadLimits = {
  /** A document still being read after this long is given up (pdf.js reads about 200 plain pages a second). */
  timeMs: number;
  /** The heap the reading thread may use (a zip bomb, a PDF of a million objects need more and are refused). */
  memoryMb: number;
};

export const DEFAULT_READ_LIMITS: ReadLimits = { timeMs: 5 * 60_000, memoryMb: 1024 };

/** A PDF page's text runs: text, baseline, font size, and whether pdf.js ends the line after it. */
export type PdfPageRuns = [text: string, y: number, size: number, hasEOL: boolean][];

/** What the reading thread found: a PDF's metadata title, a DOCX's HTML. */
export type WorkerResult = { title: string | null; html: string | null };

/** The library's name for what is wrong with the file (`PasswordException`, `InvalidDocx`...), or `Error` for a fault of ours. */
export class WorkerFailure extends Error {
  constructor(
    readonly failure: string,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerFailure';
  }
}

type WorkerMessage =
  | { type: 'page'; runs: PdfPageRuns }
  | ({ type: 'done' } & WorkerResult)
  | { type: 'failed'; name: string; message: string };

/**
 * Reads a PDF or a DOCX on a worker thread (`document-reader.worker.mjs`), which leaves this thread's
 * event loop free, keeps pdf.js's polyfills (it replaces `Array.prototype.push`, among others) off it, and
 * can be stopped when the document takes too long or too much memory. A PDF's pages arrive one by one.
 */
export function readInWorker(
  format: 'pdf' | 'docx',
  bytes: Uint8Array,
  options: { noun: string; limits: ReadLimits; onPage?: (runs: PdfPageRuns) => void; maxPages?: number },
): Promise<WorkerResult> {
  // A copy, handed over to the thread without another: pdf.js would detach the caller's buffer.
  const data = new Uint8Array(bytes);
  const worker = new Worker(WORKER_URL, {
    workerData: { format, data, maxPages: options.maxPages },
    transferList: [data.buffer],
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: options.limits.memoryMb },
  });
  return new Promise<WorkerResult>((resolve, reject) => {
    let isSettled = false;
    const settle = (finish: () => void) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      void worker.terminate();
      finish();
    };
    const timer = setTimeout(() => {
      settle(() => reject(new DocumentExtractionError(`the ${options.noun} took too long to read`)));
    }, options.limits.timeMs);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'page') {
        try {
          options.onPage?.(message.runs);
        } catch (error) {
          settle(() => reject(error));
        }
      } else if (message.type === 'done') {
        settle(() => resolve({ title: message.title, html: message.html }));
      } else {
        settle(() => reject(new WorkerFailure(message.name, message.message)));
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const tooBig = new DocumentExtractionError(`the ${options.noun} needs too much memory to read`);
      settle(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooBig : error));
    });
    worker.on('exit', (code) => {
      settle(() =>
        reject(new Error(`the ${options.noun} reader stopped before it finished (exit code ${code})`)),
      );
    });
  });
}

/** The file's fault, as the reading thread names it, in words for the source's owner. */
function describeFileFailure(failure: WorkerFailure): string {
  if (failure.failure === 'PasswordException') return 'the PDF is password-protected';
  if (failure.failure === 'InvalidDocx') return 'the file is not a valid DOCX document';
  return 'the file is not a valid PDF';
}

type SourceMessage =
  | { type: 'ready' }
  | ({ type: 'prepared' } & PreparedSource)
  | { type: 'failed'; name: string; message: string };

/** Source threads kept between ingestions (their modules loaded), by heap size; a few at most. */
const idleSourceThreads = new Map<number, Worker[]>();
const MAX_IDLE_SOURCE_THREADS = 2;

function takeSourceThread(memoryMb: number): { worker: Worker; isReady: boolean } {
  const idle = idleSourceThreads.get(memoryMb)?.pop();
  if (idle) return { worker: idle, isReady: true };
  const worker = new Worker(WORKER_URL, {
    workerData: { format: 'source' },
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
  });
  // A thread that ends while idle leaves the pool.
  worker.once('exit', () => {
    const threads = idleSourceThreads.get(memoryMb);
    if (threads?.includes(worker)) threads.splice(threads.indexOf(worker), 1);
  });
  return { worker, isReady: false };
}

function returnSourceThread(memoryMb: number, worker: Worker): void {
  const threads = idleSourceThreads.get(memoryMb) ?? [];
  if (threads.length >= MAX_IDLE_SOURCE_THREADS) {
    void worker.terminate();
    return;
  }
  // An idle thread never keeps the process alive.
  worker.unref();
  threads.push(worker);
  idleSourceThreads.set(memoryMb, threads);
}

/**
 * Reads and chunks a source on a worker thread (`prepareSource` in `../prepare-source.ts`): its document
 * read, its text laid out and cut into chunks there, within `sourceLimits`, so that this thread's event loop
 * stays free however large the source. Threads are reused from one source to the next; one that takes too
 * long, runs out of memory, fails unexpectedly or is aborted (the signal) is stopped instead.
 */
export function prepareInWorker(
  job: SourceJob,
  options: { sourceLimits: SourceLimits; limits?: ReadLimits; signal?: AbortSignal },
): Promise<PreparedSource> {
  const limits = options.limits ?? DEFAULT_READ_LIMITS;
  const noun = job.kind === 'document' ? 'document' : 'source';
  const { worker, isReady } = takeSourceThread(limits.memoryMb);
  worker.ref();
  const post = () => {
    // An uploaded file is copied and handed over without another copy (pdf.js would detach the caller's).
    const data = job.kind === 'document' ? new Uint8Array(job.data) : undefined;
    worker.postMessage(
      { job: data ? { ...job, data } : job, limits: options.sourceLimits },
      data ? [data.buffer] : [],
    );
  };
  return new Promise<PreparedSource>((resolve, reject) => {
    let isSettled = false;
    const settle = (finish: () => void, canReuse = false) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (canReuse) returnSourceThread(limits.memoryMb, worker);
      else void worker.terminate();
      finish();
    };
    const onAbort = () => settle(() => reject(options.signal?.reason));
    const onMessage = (message: SourceMessage) => {
      if (message.type === 'ready') {
        post();
      } else if (message.type === 'prepared') {
        const { title, text, chunks } = message;
        settle(() => resolve({ title, text, chunks }), true);
      } else if (message.name === 'DocumentExtractionError') {
        settle(() => reject(new DocumentExtractionError(message.message)), true);
      } else if (message.name === 'Error') {
        settle(() => reject(new Error(message.message)));
      } else {
        const failure = new WorkerFailure(message.name, message.message);
        settle(
          () => reject(new DocumentExtractionError(describeFileFailure(failure), { cause: failure })),
          true,
        );
      }
    };
    const onError = (error: Error & { code?: string }) => {
      const tooBig = new DocumentExtractionError(`the ${noun} needs too much memory to read`);
      settle(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooBig : error));
    };
    const onExit = (code: number) => {
      settle(() => reject(new Error(`the ${noun} reader stopped before it finished (exit code ${code})`)));
    };
    const timer = setTimeout(() => {
      settle(() => reject(new DocumentExtractionError(`the ${noun} took too long to read`)));
    }, limits.timeMs);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (isReady) post();
  });
}
