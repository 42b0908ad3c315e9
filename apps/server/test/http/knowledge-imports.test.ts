import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocx, buildPdf } from '../helpers/documents.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { settledSource } from '../helpers/ingestion.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.ts';

// Files and web pages as knowledge: uploads (PDF, DOCX, HTML, Markdown) and URL/sitemap imports, each
// extracted in the background and answered from with its source; a per-chatbot fallback message.

const MB = 1024 * 1024;

/** A small website on loopback: the pages a URL import fetches, changeable between imports. */
async function startSite() {
  const pages = new Map<string, { type: string; body: string | Uint8Array }>();
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const page = pages.get(request.url ?? '');
    if (!page) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': page.type }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    pages,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function html(title: string, body: string): string {
  return `<!doctype html><html><head><title>${title}</title></head><body>
    <nav>Home | Shop | Cart navigation links</nav>
    <main>${body}</main>
    <footer>Copyright footer text</footer></body></html>`;
}

let server: TestServer;
/** Refuses private addresses (the default) and uploads over 1 MB. */
let strict: TestServer;
let site: Awaited<ReturnType<typeof startSite>>;
let openai: FakeOpenAi;
let apiKey: string;
let strictKey: string;

beforeAll(async () => {
  site = await startSite();
  openai = await startFakeOpenAi();
  server = await startTestServer({
    POLLYBOT_URL_IMPORT_ALLOW_PRIVATE: 'true',
    OPENAI_BASE_URL: openai.baseUrl,
  });
  strict = await startTestServer({ POLLYBOT_KNOWLEDGE_MAX_FILE_MB: '1' });
  ({ apiKey } = await server.createWorkspace(1000));
  ({ apiKey: strictKey } = await strict.createWorkspace(1000));
});

afterAll(async () => {
  await server?.close();
  await strict?.close();
  await site?.close();
  await openai?.close();
});

type Upload = { name: string; type?: string; bytes: Uint8Array | string };

function upload(
  target: TestServer,
  key: string,
  chatbotId: string,
  file: Upload | undefined,
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append('file', new Blob([file.bytes], { type: file.type ?? '' }), file.name);
  return target.api(key).post(`/api/v1/chatbots/${chatbotId}/knowledge/files`, form);
}

/** The source as it ended (ready or failed). */
function settled(target: TestServer, key: string, chatbotId: string, sourceId: string) {
  return settledSource(target, key, chatbotId, sourceId, 30_000);
}

async function chunksOf(target: TestServer, sourceId: string) {
  return target.services.db
    .selectFrom('knowledge_chunks')
    .select(['heading', 'content', 'url', 'page_title'])
    .where('source_id', '=', sourceId)
    .orderBy('position')
    .execute();
}

async function ask(target: TestServer, key: string, chatbotId: string, message: string) {
  const response = await target.api(key).post(`/api/v1/chatbots/${chatbotId}/chat`, { message });
  expect(response.status, response.text).toBe(200);
  return response.body.data as { response: string; sources?: { id: string; title: string; url?: string }[] };
}

describe('file uploads', () => {
  it('extracts a PDF in the background and answers from it, citing the file', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const pdf = await buildPdf(
      [
        {
          lines: [
            { text: 'Warranty', size: 20 },
            { text: 'Every kettle carries a two year warranty against defects.' },
          ],
        },
        {
          lines: [
            { text: 'Descaling', size: 20 },
            { text: 'Descale the kettle monthly with citric acid and rinse it twice.' },
          ],
        },
      ],
      { title: 'Kettle manual' },
    );

    const created = await upload(server, apiKey, chatbot.id, {
      name: 'manual.pdf',
      type: 'application/pdf',
      bytes: pdf,
    });

    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      kind: 'file',
      title: 'manual',
      status: 'queued',
      file: { name: 'manual.pdf', mediaType: 'application/pdf', size: pdf.byteLength },
    });
    expect(created.body.data).not.toHaveProperty('content');
    const source = await settled(server, apiKey, chatbot.id, created.body.data.id);
    expect(source).toMatchObject({ status: 'ready', error: null });
    const text = (await chunksOf(server, source.id)).map((chunk) => chunk.content).join(' ');
    expect(text).toContain('two year warranty');
    expect(text).toContain('citric acid');

    const reply = await ask(server, apiKey, chatbot.id, 'How do I descale the kettle?');
    expect(reply.response).toContain('citric acid');
    expect(reply.sources).toEqual([expect.objectContaining({ id: source.id, title: 'manual' })]);
  });

  it('extracts a DOCX with its headings, and takes the title field when one is sent', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const docx = await buildDocx([
      { text: 'Opening hours', style: 'Heading1' },
      { text: 'The workshop opens at eight and closes at five.' },
      { text: 'Parking', style: 'Heading1' },
      { text: 'Visitors park in the courtyard behind the workshop.' },
    ]);

    const created = await upload(
      server,
      apiKey,
      chatbot.id,
      { name: 'Visitor guide.docx', bytes: docx },
      { title: 'Visitors' },
    );

    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ title: 'Visitors', file: { name: 'Visitor guide.docx' } });
    expect(created.body.data.file.mediaType).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    const source = await settled(server, apiKey, chatbot.id, created.body.data.id);
    expect(source.status).toBe('ready');
    expect((await chunksOf(server, source.id)).map((chunk) => chunk.heading)).toEqual([
      'Opening hours',
      'Parking',
    ]);
  });

  it('keeps an HTML page’s main content and drops its navigation and footer', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const page = html(
      'Returns',
      '<h1>Returns</h1><p>Return unused items within 30 days for a full refund.</p>',
    );

    const created = await upload(server, apiKey, chatbot.id, {
      name: 'returns.html',
      type: 'text/html',
      bytes: page,
    });

    const source = await settled(server, apiKey, chatbot.id, created.body.data.id);
    expect(source.status).toBe('ready');
    const text = (await chunksOf(server, source.id)).map((chunk) => chunk.content).join(' ');
    expect(text).toContain('30 days for a full refund');
    expect(text).not.toContain('navigation links');
    expect(text).not.toContain('Copyright');
  });

  it('ingests files of 20 MB and more (an HTML page and a PDF) without holding up chat', async () => {
    const chatbot = await server.createChatbot(apiKey);
    // Mostly markup (as real pages are): its text stays within the 10 MB a source may give.
    const paragraph = `<p data-sku="${'0'.repeat(600)}">Our catalogue lists many ordinary products with ordinary descriptions.</p>\n`;
    const bigHtml = `<html><body><main>${paragraph.repeat(Math.ceil((20 * MB) / paragraph.length))}<h2>Last section</h2><p>The final page mentions the zeppelin hangar.</p></main></body></html>`;
    const bigPdf = await buildPdf([
      {
        lines: [{ text: 'Appendix', size: 20 }, { text: 'The appendix mentions the lighthouse keeper.' }],
        imageBytes: 20 * MB,
      },
    ]);
    expect(bigHtml.length).toBeGreaterThanOrEqual(20 * MB);
    expect(bigPdf.byteLength).toBeGreaterThanOrEqual(20 * MB);

    const [htmlSource, pdfSource] = await Promise.all([
      upload(server, apiKey, chatbot.id, { name: 'catalogue.html', bytes: bigHtml }),
      upload(server, apiKey, chatbot.id, { name: 'appendix.pdf', bytes: bigPdf }),
    ]);
    expect([htmlSource.status, pdfSource.status]).toEqual([201, 201]);
    // A chat answers while the two are being read.
    await ask(server, apiKey, chatbot.id, 'Hello');

    expect((await settled(server, apiKey, chatbot.id, htmlSource.body.data.id)).status).toBe('ready');
    expect((await settled(server, apiKey, chatbot.id, pdfSource.body.data.id)).status).toBe('ready');
    expect((await ask(server, apiKey, chatbot.id, 'Tell me about the zeppelin hangar')).response).toContain(
      'zeppelin hangar',
    );
    expect((await ask(server, apiKey, chatbot.id, 'Who is the lighthouse keeper?')).response).toContain(
      'lighthouse keeper',
    );
  });

  it('marks a corrupt PDF failed with a reason its owner can act on', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const created = await upload(server, apiKey, chatbot.id, {
      name: 'broken.pdf',
      bytes: '%PDF-1.7\nthis is not really a PDF at all',
    });

    expect(created.status).toBe(201);
    const source = await settled(server, apiKey, chatbot.id, created.body.data.id);
    expect(source.status).toBe('failed');
    expect(source.error).toMatch(/PDF/);
  });

  it('refuses an upload over the size limit with 413, and stores nothing', async () => {
    const chatbot = await strict.createChatbot(strictKey);
    const created = await upload(strict, strictKey, chatbot.id, {
      name: 'big.txt',
      bytes: 'x'.repeat(2 * MB),
    });

    expect(created.status).toBe(413);
    expect(created.body).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE' });
    expect(created.body.error).toContain('1 MB');
    const list = await strict.api(strictKey).get(`/api/v1/chatbots/${chatbot.id}/knowledge`);
    expect(list.body.data).toEqual([]);
  });

  it('answers 415 to an unsupported file type or a body that is not multipart, and 400 to a malformed upload', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const binary = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);

    const exe = await upload(server, apiKey, chatbot.id, {
      name: 'setup.exe',
      type: 'application/octet-stream',
      bytes: binary,
    });
    expect(exe.status).toBe(415);
    expect(exe.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(exe.body.error).toMatch(/PDF, DOCX, HTML, Markdown or plain-text/);

    const json = await server
      .api(apiKey)
      .post(`/api/v1/chatbots/${chatbot.id}/knowledge/files`, { file: 'x' });
    expect(json.status).toBe(415);
    expect(json.body).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      error: 'Content-Type must be multipart/form-data',
    });

    const missing = await upload(server, apiKey, chatbot.id, undefined, { title: 'No file' });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ path: 'body.file' }] });

    const empty = await upload(server, apiKey, chatbot.id, { name: 'empty.md', bytes: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.details).toEqual([{ path: 'body.file', message: 'the file is empty' }]);

    const unknown = await upload(
      server,
      apiKey,
      chatbot.id,
      { name: 'a.md', bytes: '# A' },
      { colour: 'blue' },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([expect.objectContaining({ path: 'body.colour' })]);

    const list = await server.api(apiKey).get(`/api/v1/chatbots/${chatbot.id}/knowledge`);
    expect(list.body.data).toEqual([]);
  });

  it('answers 404 CHATBOT_NOT_FOUND for another workspace’s chatbot, storing nothing', async () => {
    const { apiKey: otherKey } = await server.createWorkspace(10, 'Other');
    const chatbot = await server.createChatbot(otherKey);

    const created = await upload(server, apiKey, chatbot.id, { name: 'a.md', bytes: '# Secret plans' });

    expect(created.status).toBe(404);
    expect(created.body).toMatchObject({ code: 'CHATBOT_NOT_FOUND' });
    const list = await server.api(otherKey).get(`/api/v1/chatbots/${chatbot.id}/knowledge`);
    expect(list.body.data).toEqual([]);
  });
});

describe('web imports', () => {
  it('imports a page, takes its title, and cites its address in replies', async () => {
    site.pages.set('/delivery', {
      type: 'text/html; charset=utf-8',
      body: html(
        'Delivery times',
        '<h2>Delivery</h2><p>Parcels to the islands arrive within five working days.</p>',
      ),
    });
    const chatbot = await server.createChatbot(apiKey);

    const created = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/knowledge`, {
      kind: 'url',
      url: `${site.baseUrl}/delivery`,
    });

    expect(created.status, created.text).toBe(201);
    expect(created.body.data).toMatchObject({
      kind: 'url',
      url: `${site.baseUrl}/delivery`,
      crawl: 'page',
      status: 'queued',
    });
    const source = await settled(server, apiKey, chatbot.id, created.body.data.id);
    expect(source).toMatchObject({ status: 'ready', title: 'Delivery times' });

    const reply = await ask(server, apiKey, chatbot.id, 'How long do parcels to the islands take?');
    expect(reply.response).toContain('five working days');
    expect(reply.sources).toEqual([
      expect.objectContaining({ id: source.id, title: 'Delivery times', url: `${site.baseUrl}/delivery` }),
    ]);
  });

  it('imports every page a sitemap lists, each chunk keeping its page, and re-sync fetches them again', async () => {
    site.pages.set('/help/cancel', {
      type: 'text/html',
      body: html('Cancelling', '<p>Cancel a subscription from the account page before the renewal date.</p>'),
    });
    site.pages.set('/help/invoices', {
      type: 'text/html',
      body: html('Invoices', '<p>Invoices are emailed as PDF files on the first day of each month.</p>'),
    });
    site.pages.set('/sitemap.xml', {
      type: 'application/xml',
      body: `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc>${site.baseUrl}/help/cancel</loc></url><url><loc>${site.baseUrl}/help/invoices</loc></url></urlset>`,
    });
    const chatbot = await server.createChatbot(apiKey);

    const created = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/knowledge`, {
      kind: 'url',
      url: `${site.baseUrl}/sitemap.xml`,
      crawl: 'sitemap',
      title: 'Help centre',
    });

    const source = await settled(server, apiKey, chatbot.id, created.body.data.id);
    expect(source).toMatchObject({ status: 'ready', title: 'Help centre', crawl: 'sitemap' });
    const chunks = await chunksOf(server, source.id);
    expect(chunks.map((chunk) => [chunk.url, chunk.page_title])).toEqual([
      [`${site.baseUrl}/help/cancel`, 'Cancelling'],
      [`${site.baseUrl}/help/invoices`, 'Invoices'],
    ]);
    const reply = await ask(server, apiKey, chatbot.id, 'When are invoices emailed?');
    expect(reply.sources?.[0]).toMatchObject({
      id: source.id,
      title: 'Invoices',
      url: `${site.baseUrl}/help/invoices`,
    });

    site.pages.set('/help/invoices', {
      type: 'text/html',
      body: html('Invoices', '<p>Invoices are now emailed on the fifteenth of each month.</p>'),
    });
    const resync = await server
      .api(apiKey)
      .post(`/api/v1/chatbots/${chatbot.id}/knowledge/${source.id}/resync`);
    expect(resync.status).toBe(202);
    await eventually(
      async () =>
        (await ask(server, apiKey, chatbot.id, 'When are invoices emailed?')).response.includes('fifteenth'),
      30_000,
    );
  });

  it('fails an import of a private address unless the operator allows it, without requesting it', async () => {
    site.pages.set('/internal', {
      type: 'text/html',
      body: html('Internal', '<p>Salaries of everyone.</p>'),
    });
    const before = site.requests.length;
    const chatbot = await strict.createChatbot(strictKey);

    const created = await strict.api(strictKey).post(`/api/v1/chatbots/${chatbot.id}/knowledge`, {
      kind: 'url',
      url: `${site.baseUrl}/internal`,
    });

    expect(created.status).toBe(201);
    const source = await settled(strict, strictKey, chatbot.id, created.body.data.id);
    expect(source.status).toBe('failed');
    expect(source.error).toMatch(/not an address on the public internet/);
    expect(site.requests.length).toBe(before);
  });

  it('fails an import whose page is missing, with the server’s answer as the reason', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const created = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/knowledge`, {
      kind: 'url',
      url: `${site.baseUrl}/no-such-page`,
    });

    const source = await settled(server, apiKey, chatbot.id, created.body.data.id);
    expect(source.status).toBe('failed');
    expect(source.error).toMatch(/404/);
  });

  it('answers 400 to an address that is not http or https', async () => {
    const chatbot = await server.createChatbot(apiKey);
    for (const url of ['ftp://example.com/file', 'javascript:alert(1)', 'file:///etc/passwd', 'not a url']) {
      const created = await server
        .api(apiKey)
        .post(`/api/v1/chatbots/${chatbot.id}/knowledge`, { kind: 'url', url });
      expect(created.status, url).toBe(400);
      expect(created.body.details, url).toEqual([expect.objectContaining({ path: 'body.url' })]);
    }
  });
});

describe('relevance and the fallback message', () => {
  const HANDBOOK = '# Returns\nReturn any item within 30 days with its receipt for a refund.';

  async function botWithHandbook(fields: Record<string, unknown> = {}) {
    const chatbot = await server.createChatbot(apiKey, fields);
    const created = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/knowledge`, {
      kind: 'text',
      title: 'Handbook',
      content: HANDBOOK,
    });
    expect((await settled(server, apiKey, chatbot.id, created.body.data.id)).status).toBe('ready');
    return chatbot;
  }

  it('answers a question its knowledge does not cover with the chatbot’s fallback message, citing nothing', async () => {
    const fallbackMessage =
      'I can only help with our shop’s policies. Email help@example.com for anything else.';
    const chatbot = await botWithHandbook({ fallbackMessage });
    expect(chatbot.fallbackMessage).toBe(fallbackMessage);

    // "item" alone is in the handbook; the question is about something else.
    const reply = await ask(
      server,
      apiKey,
      chatbot.id,
      'Which item of clothing suits a wedding on the moon?',
    );

    expect(reply.response).toBe(fallbackMessage);
    expect(reply.sources).toEqual([]);
    const covered = await ask(server, apiKey, chatbot.id, 'Can I return an item for a refund?');
    expect(covered.response).toContain('30 days');
  });

  it('uses the built-in wording when the fallback message is cleared with null', async () => {
    const chatbot = await botWithHandbook({ fallbackMessage: 'Custom fallback.' });
    const patched = await server
      .api(apiKey)
      .patch(`/api/v1/chatbots/${chatbot.id}`, { fallbackMessage: null });
    expect(patched.body.data.fallbackMessage).toBeNull();

    const reply = await ask(server, apiKey, chatbot.id, 'What is the capital of Peru?');

    expect(reply.response).toMatch(/couldn't find anything about that/);
    expect(reply.response).toContain('Handbook');
  });

  it('tells a real model the fallback message when no passage is relevant', async () => {
    const chatbot = await botWithHandbook({
      model: 'openai/gpt-4o-mini',
      fallbackMessage: 'Ask the shop staff.',
    });
    openai.requests.length = 0;

    await ask(server, apiKey, chatbot.id, 'What is the capital of Peru?');

    const system = openai.requests.at(-1)?.body.messages[0];
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('reply with this message: "Ask the shop staff."');
    expect(system?.content).not.toContain('<knowledge>');
  });

  it('answers 400 to a fallback message that is blank or too long', async () => {
    for (const fallbackMessage of ['   ', 'x'.repeat(2_001)]) {
      const response = await server.api(apiKey).post('/api/v1/chatbots', { name: 'Bot', fallbackMessage });
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([expect.objectContaining({ path: 'body.fallbackMessage' })]);
    }
  });
});
