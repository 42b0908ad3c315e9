// Reads a PDF (with pdf.js) or a DOCX (with mammoth) on a worker thread, for `read-in-worker.ts`.
// JavaScript, not TypeScript: a worker thread starts without the TypeScript loader the server and its
// tests run under.
//
// In:  workerData = { format: 'pdf' | 'docx', data: Uint8Array, maxPages?: number }
// Out: for a PDF, { type: 'page', runs: [text, y, size, hasEOL][] } for each page in order;
//      then { type: 'done', title: string | null, html: string | null },
//      or { type: 'failed', name, message } (name: the library's error name when the file is at fault;
//      `TooManyPages`, with the page count as message, for a PDF of more than `maxPages`).
//
// Or, to ingest sources: workerData = { format: 'source' } starts a thread that loads ../prepare-source.ts
// (TypeScript, through tsx's API), says { type: 'ready' }, then serves jobs one at a time for as long as
// it lives. In: { job, limits } messages; out, for each: { type: 'prepared', title, text, chunks }, or
// { type: 'failed', name, message } where the name `DocumentExtractionError` carries a reason for the
// source's owner (a limit passed, a bad file).
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

/** pdf.js's failures that mean the file is at fault, rather than this code. */
const PDF_ERRORS = new Set([
  'PasswordException',
  'InvalidPDFException',
  'MissingPDFException',
  'FormatError',
  'UnknownErrorException',
]);

class FileError extends Error {
  constructor(name, cause) {
    super(String(cause?.message ?? cause));
    this.name = name;
  }
}

function send(message) {
  parentPort?.postMessage(message);
}

async function readPdfTitle(document) {
  try {
    const title = (await document.getMetadata()).info?.Title;
    return typeof title === 'string' && title.trim() ? title.trim() : null;
  } catch {
    // Broken metadata takes nothing from the text.
    return null;
  }
}

function toRuns(content) {
  const runs = [];
  for (const item of content.items) {
    if (!('str' in item)) continue;
    const [, , c, d, , y] = item.transform;
    runs.push([item.str, y, Math.hypot(c, d), item.hasEOL]);
  }
  return runs;
}

/** Reads a PDF's pages in order: `onOpen(pageCount)` first (it may throw to stop), then `onPage(runs)` for each. */
async function readPdf(data, { onOpen, onPage }) {
  const packageDirectory = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // In Node pdf.js runs its own "worker" on the calling thread, importing it from this file.
  pdfjs.GlobalWorkerOptions.workerSrc = pathToFileURL(
    join(packageDirectory, 'legacy/build/pdf.worker.mjs'),
  ).href;
  const task = pdfjs.getDocument({
    data,
    useSystemFonts: true,
    isEvalSupported: false,
    disableFontFace: true,
    verbosity: 0,
    // Character maps and the standard fonts' metrics come from the package on disk, never from a network.
    cMapUrl: join(packageDirectory, 'cmaps') + sep,
    cMapPacked: true,
    standardFontDataUrl: join(packageDirectory, 'standard_fonts') + sep,
  });
  let document;
  try {
    document = await task.promise;
  } catch (error) {
    throw PDF_ERRORS.has(error?.name) ? new FileError(error.name, error) : error;
  }
  try {
    onOpen(document.numPages);
    let damaged = 0;
    for (let number = 1; number <= document.numPages; number++) {
      try {
        const page = await document.getPage(number);
        const runs = toRuns(await page.getTextContent());
        page.cleanup();
        onPage(runs);
      } catch (error) {
        // A damaged page is skipped rather than failing the document.
        if (!PDF_ERRORS.has(error?.name)) throw error;
        damaged++;
      }
    }
    if (damaged > 0 && damaged === document.numPages)
      throw new FileError('InvalidPDFException', 'no readable page');
    return { title: await readPdfTitle(document) };
  } finally {
    await document.destroy();
  }
}

async function readDocxHtml(data) {
  const { default: mammoth } = await import('mammoth');
  let result;
  try {
    result = await mammoth.convertToHtml(
      { buffer: Buffer.from(data.buffer, data.byteOffset, data.byteLength) },
      {
        // Word's own "Title" style names the document; mammoth maps only Heading 1-6 by default.
        styleMap: ["p[style-name='Title'] => h1:fresh", 'p.Title => h1:fresh'],
        // Images are not text: none is read (mammoth's default inlines each one as base64).
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
        externalFileAccess: false,
      },
    );
  } catch (error) {
    // mammoth fails on the file only: not a zip, a zip without a Word document, XML it cannot read.
    throw new FileError('InvalidDocx', error);
  }
  return result.value;
}

function toFailure(error) {
  return {
    type: 'failed',
    name: error instanceof FileError || error?.name === 'DocumentExtractionError' ? error.name : 'Error',
    message: String(error?.message ?? error),
  };
}

/** Serves source jobs one at a time, for as long as the thread lives: its modules load once. */
async function serveSourceJobs() {
  const { prepareSource } = await tsImport('../prepare-source.ts', import.meta.url);
  parentPort?.on('message', async ({ job, limits }) => {
    try {
      send({ type: 'prepared', ...(await prepareSource(job, limits, { readPdf, readDocxHtml })) });
    } catch (error) {
      send(toFailure(error));
    }
  });
  send({ type: 'ready' });
}

try {
  const { format, data } = workerData;
  if (format === 'source') {
    await serveSourceJobs();
  } else if (format === 'pdf') {
    const onPage = (runs) => send({ type: 'page', runs });
    const onOpen = (pages) => {
      if (workerData.maxPages !== undefined && pages > workerData.maxPages) {
        throw new FileError('TooManyPages', String(pages));
      }
    };
    const { title } = await readPdf(data, { onOpen, onPage });
    send({ type: 'done', title, html: null });
  } else {
    send({ type: 'done', title: null, html: await readDocxHtml(data) });
  }
} catch (error) {
  send(toFailure(error));
}
