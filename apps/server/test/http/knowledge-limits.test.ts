import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKnowledgeSourceById } from '../../src/db/knowledge.repository.ts';
import { buildDocx, buildPdf } from '../helpers/documents.ts';
import { createTestIngestion, settledSource } from '../helpers/ingestion.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

// What one source may become (text, chunks, PDF pages, a DOCX's unpacked size), that the server keeps
// answering while a huge source is read, written and deleted, and that one workspace's sources neither
// hold the ingestion queue nor pass its quotas.

const MB = 1024 * 1024;

function upload(
  target: TestServer,
  key: string,
  chatbotId: string,
  name: string,
  bytes: Uint8Array | string,
) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return target.api(key).post(`/api/v1/chatbots/${chatbotId}/knowledge/files`, form);
}

/** The source as it ended (ready or failed). */
function settled(target: TestServer, key: string, chatbotId: string, sourceId: string) {
  return settledSource(target, key, chatbotId, sourceId, 60_000);
}

/**
 * Sends /healthz one request after another while the source is being ingested, and counts the answers
 * that were both sent and received while it was `processing`: requests the server answered mid-ingestion.
 */
async function healthAnsweredDuringIngestion(target: TestServer, sourceId: string): Promise<number> {
  const isProcessing = async () =>
    (await findKnowledgeSourceById(target.services.db, sourceId))?.status === 'processing';
  const isPending = async () => {
    const status = (await findKnowledgeSourceById(target.services.db, sourceId))?.status;
    return status === 'queued' || status === 'processing';
  };
  let answered = 0;
  while (await isPending()) {
    const before = await isProcessing();
    const response = await fetch(`${target.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    await response.text();
    if (before && (await isProcessing())) answered++;
  }
  return answered;
}

/** A DOCX whose 300 KB of deflated XML unpack to `megabytes` of one paragraph's text repeated. */
async function buildDocxBomb(megabytes: number): Promise<Uint8Array> {
  const docx = await JSZip.loadAsync(await buildDocx([{ text: 'Seed' }]));
  const paragraph = '<w:p><w:r><w:t>Buy our product today. </w:t></w:r></w:p>';
  const body = paragraph.repeat(Math.ceil((megabytes * MB) / paragraph.length));
  docx.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  return docx.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/** Markdown of `count` paragraphs of about 700 characters: one chunk each. */
function manyParagraphs(count: number): string {
  const sentence = 'Each of our stores keeps its own opening hours and its own delivery rules for the area. ';
  return Array.from({ length: count }, (_, index) => `Paragraph ${index}. ${sentence.repeat(8)}`).join(
    '\n\n',
  );
}

describe('source limits', () => {
  let server: TestServer;
  let apiKey: string;

  beforeAll(async () => {
    server = await startTestServer({
      POLLYBOT_KNOWLEDGE_MAX_TEXT_MB: '1',
      POLLYBOT_KNOWLEDGE_MAX_CHUNKS: '100',
      POLLYBOT_KNOWLEDGE_MAX_PDF_PAGES: '2',
    });
    ({ apiKey } = await server.createWorkspace(1000));
  });

  afterAll(async () => {
    await server?.close();
  });

  it('fails a DOCX bomb (a small file unpacking past ten times the text limit) with the limit named, answering other requests meanwhile', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const bomb = await buildDocxBomb(40);
    expect(bomb.byteLength).toBeLessThan(MB);

    const created = await upload(server, apiKey, chatbot.id, 'brochure.docx', bomb);
    expect(created.status, created.text).toBe(201);
    const answered = await healthAnsweredDuringIngestion(server, created.body.data.id);

    const source = await settled(server, apiKey, chatbot.id, created.body.data.id);
    expect(source).toMatchObject({ status: 'failed', chunkCount: 0 });
    expect(source.error).toBe(
      'the DOCX document unpacks to more than 10 MB, the limit per source (ten times the 1 MB text limit)',
    );
    // Refused from the sizes its zip declares, within moments: at least one request came in meanwhile.
    expect(answered).toBeGreaterThanOrEqual(1);
  });

  it('fails a Markdown file over the text limit with the limit named, answering other requests meanwhile', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const created = await upload(server, apiKey, chatbot.id, 'huge.md', manyParagraphs(30_000));
    expect(created.status, created.text).toBe(201);
    const answered = await healthAnsweredDuringIngestion(server, created.body.data.id);

    const source = await settled(server, apiKey, chatbot.id, created.body.data.id);
    expect(source).toMatchObject({ status: 'failed', chunkCount: 0 });
    expect(source.error).toBe("the source's text is over the limit of 1 MB per source");
    expect(answered).toBeGreaterThanOrEqual(3);
  });

  it('fails a source cut into more chunks than the limit, and a PDF of more pages than the limit', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const text = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/knowledge`, {
      kind: 'text',
      title: 'Stores',
      content: manyParagraphs(150),
    });
    const pdf = await upload(
      server,
      apiKey,
      chatbot.id,
      'manual.pdf',
      await buildPdf([1, 2, 3].map((page) => ({ lines: [{ text: `Page ${page} of the manual.` }] }))),
    );

    expect(await settled(server, apiKey, chatbot.id, text.body.data.id)).toMatchObject({
      status: 'failed',
      error: "the source's text makes more than 100 chunks, the limit per source",
    });
    expect(await settled(server, apiKey, chatbot.id, pdf.body.data.id)).toMatchObject({
      status: 'failed',
      error: 'the PDF has 3 pages, over the limit of 2 pages per source',
    });
  });
});

describe('large sources', () => {
  let server: TestServer;
  let apiKey: string;

  beforeAll(async () => {
    server = await startTestServer();
    ({ apiKey } = await server.createWorkspace(1000));
  });

  afterAll(async () => {
    await server?.close();
  });

  it('writes a source of thousands of chunks in batches, and deletes it in batches, answering other requests meanwhile', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const created = await upload(server, apiKey, chatbot.id, 'stores.md', manyParagraphs(4_000));
    expect(created.status, created.text).toBe(201);
    const sourceId = created.body.data.id as string;
    const answeredWhileWriting = await healthAnsweredDuringIngestion(server, sourceId);
    const source = await settled(server, apiKey, chatbot.id, sourceId);
    expect(source.status, source.error).toBe('ready');
    expect(source.chunkCount).toBeGreaterThanOrEqual(4_000);
    expect(answeredWhileWriting).toBeGreaterThanOrEqual(3);

    // Requests sent one after another while the deletion runs: several are answered before it is.
    let isDeleted = false;
    const deletion = server
      .api(apiKey)
      .delete(`/api/v1/chatbots/${chatbot.id}/knowledge/${sourceId}`)
      .finally(() => {
        isDeleted = true;
      });
    let answeredWhileDeleting = 0;
    while (!isDeleted) {
      const response = await fetch(`${server.baseUrl}/healthz`);
      await response.text();
      if (!isDeleted) answeredWhileDeleting++;
    }
    expect((await deletion).status).toBe(200);
    expect(answeredWhileDeleting).toBeGreaterThanOrEqual(3);
    const left = await server.services.db
      .selectFrom('knowledge_chunks')
      .select('id')
      .where('source_id', '=', sourceId)
      .execute();
    expect(left).toEqual([]);
  });

  it('lists sources without their content, which the single read still gives', async () => {
    const chatbot = await server.createChatbot(apiKey);
    const content = 'Our returns policy, at great length. '.repeat(10_000);
    const ids: string[] = [];
    for (const title of ['One', 'Two', 'Three']) {
      const created = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/knowledge`, {
        kind: title === 'Three' ? 'qa' : 'text',
        title,
        ...(title === 'Three'
          ? { pairs: [{ question: 'Can I return it?', answer: content.slice(0, 9_000) }] }
          : { content }),
      });
      expect(created.status, created.text).toBe(201);
      ids.push(created.body.data.id);
    }

    const list = await server.api(apiKey).get(`/api/v1/chatbots/${chatbot.id}/knowledge`);
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(3);
    for (const item of list.body.data) {
      expect(item).not.toHaveProperty('content');
      expect(item).not.toHaveProperty('pairs');
    }
    expect(list.text.length).toBeLessThan(5_000);

    const one = await server.api(apiKey).get(`/api/v1/chatbots/${chatbot.id}/knowledge/${ids[0]}`);
    expect(one.body.data.content).toBe(content);
    const three = await server.api(apiKey).get(`/api/v1/chatbots/${chatbot.id}/knowledge/${ids[2]}`);
    expect(three.body.data.pairs).toHaveLength(1);
  });
});

describe('fairness between workspaces', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    // The sources queue first; an ingestion started afterwards takes them in the order it chooses.
    await server.services.ingestion.stop();
  });

  afterAll(async () => {
    await server?.close();
  });

  it("serves another workspace's source before the first workspace's long queue is done", async () => {
    const first = await server.createWorkspace(1000, 'Busy');
    const second = await server.createWorkspace(1000, 'Quiet');
    const busyBot = await server.createChatbot(first.apiKey);
    const quietBot = await server.createChatbot(second.apiKey);

    const busyIds: string[] = [];
    for (let index = 0; index < 6; index++) {
      const created = await server.api(first.apiKey).post(`/api/v1/chatbots/${busyBot.id}/knowledge`, {
        kind: 'text',
        title: `Chapter ${index}`,
        content: manyParagraphs(20),
      });
      busyIds.push(created.body.data.id);
    }
    const quiet = await server.api(second.apiKey).post(`/api/v1/chatbots/${quietBot.id}/knowledge`, {
      kind: 'text',
      title: 'One sentence',
      content: 'We open at nine.',
    });
    // One ingestion at a time, on a clock that moves a second at each reading: each source settles at
    // its own moment, in the order it was taken.
    let seconds = 0;
    const clock = { now: () => new Date(Date.UTC(2030, 0, 1, 0, 0, seconds++)) };
    const ingestion = createTestIngestion(server.services.db, { clock, ids: server.services.ids });
    await ingestion.drain();
    await ingestion.stop();

    // The order sources were finished in.
    const rows = await server.services.db
      .selectFrom('knowledge_sources')
      .select(['id', 'status', 'updated_at'])
      .where('id', 'in', [...busyIds, quiet.body.data.id])
      .orderBy('updated_at')
      .orderBy('id')
      .execute();
    expect(rows.every((row) => row.status === 'ready')).toBe(true);
    const order = rows.map((row) => row.id);
    // The busy workspace's oldest source goes first, then the quiet workspace's turn comes.
    expect(order.indexOf(busyIds[0] as string)).toBe(0);
    expect(order.indexOf(quiet.body.data.id)).toBe(1);
  });
});

describe('workspace quotas', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      POLLYBOT_KNOWLEDGE_MAX_QUEUED: '2',
      POLLYBOT_KNOWLEDGE_MAX_WORKSPACE_MB: '0.01',
      POLLYBOT_KNOWLEDGE_WRITES_PER_MINUTE: '5',
    });
    // Nothing is ingested here: sources stay queued.
    await server.services.ingestion.stop();
  });

  afterAll(async () => {
    await server?.close();
  });

  const text = (content: string) => ({ kind: 'text', title: 'Policy', content });

  it('answers 409 KNOWLEDGE_QUOTA_EXCEEDED past the sources a workspace may have waiting, for that workspace alone', async () => {
    const { apiKey } = await server.createWorkspace();
    const other = await server.createWorkspace();
    const chatbot = await server.createChatbot(apiKey);
    const otherBot = await server.createChatbot(other.apiKey);
    const path = `/api/v1/chatbots/${chatbot.id}/knowledge`;

    expect((await server.api(apiKey).post(path, text('First.'))).status).toBe(201);
    expect((await server.api(apiKey).post(path, text('Second.'))).status).toBe(201);
    const refused = await server.api(apiKey).post(path, text('Third.'));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      success: false,
      code: 'KNOWLEDGE_QUOTA_EXCEEDED',
      quota: 'queued_sources',
      limit: 2,
    });
    const uploadRefused = await upload(server, apiKey, chatbot.id, 'notes.txt', 'Third, as a file.');
    expect(uploadRefused.body.code).toBe('KNOWLEDGE_QUOTA_EXCEEDED');

    const elsewhere = await server
      .api(other.apiKey)
      .post(`/api/v1/chatbots/${otherBot.id}/knowledge`, text('Hi.'));
    expect(elsewhere.status).toBe(201);
  });

  it('answers 409 KNOWLEDGE_QUOTA_EXCEEDED past the bytes a workspace may store', async () => {
    const { apiKey } = await server.createWorkspace();
    const chatbot = await server.createChatbot(apiKey);
    const path = `/api/v1/chatbots/${chatbot.id}/knowledge`;

    expect((await server.api(apiKey).post(path, text('a'.repeat(6_000)))).status).toBe(201);
    const refused = await server.api(apiKey).post(path, text('b'.repeat(6_000)));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'KNOWLEDGE_QUOTA_EXCEEDED',
      quota: 'storage_bytes',
      limit: Math.round(0.01 * MB),
    });
    expect(refused.body.error).toContain('storage limit of 0.01 MB');
  });

  it('answers 429 RATE_LIMIT_EXCEEDED with Retry-After past the knowledge changes a workspace may make a minute', async () => {
    const { apiKey } = await server.createWorkspace();
    const other = await server.createWorkspace();
    const chatbot = await server.createChatbot(apiKey);
    const otherBot = await server.createChatbot(other.apiKey);
    const unknown = `/api/v1/chatbots/${chatbot.id}/knowledge/01J00000000000000000000000`;

    const created = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/knowledge`, text('Hi.'));
    expect(created.status).toBe(201);
    expect(created.headers.get('x-ratelimit-limit')).toBe('5');
    const sourcePath = `/api/v1/chatbots/${chatbot.id}/knowledge/${created.body.data.id}`;
    expect((await server.api(apiKey).post(`${sourcePath}/resync`)).status).toBe(202);
    for (let index = 0; index < 3; index++) {
      expect((await server.api(apiKey).delete(unknown)).status).toBe(404);
    }
    const limited = await server.api(apiKey).delete(sourcePath);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ success: false, code: 'RATE_LIMIT_EXCEEDED' });
    expect(limited.body.retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('retry-after')).toBe(String(limited.body.retryAfter));
    // Reads are not changes, and another workspace has its own count.
    expect((await server.api(apiKey).get(sourcePath)).status).toBe(200);
    const elsewhere = await server
      .api(other.apiKey)
      .post(`/api/v1/chatbots/${otherBot.id}/knowledge`, text('Hi.'));
    expect(elsewhere.status).toBe(201);
  });
});

describe('workspace storage at ingestion', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ POLLYBOT_KNOWLEDGE_MAX_WORKSPACE_MB: '0.01' });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('fails a file whose extracted text would take the workspace past its storage limit, saying so', async () => {
    const { apiKey } = await server.createWorkspace();
    const chatbot = await server.createChatbot(apiKey);
    // 6 KB stored as the file is within the 10 KB limit; its 6 KB of text besides is not.
    const created = await upload(server, apiKey, chatbot.id, 'notes.md', 'We open at nine. '.repeat(360));
    expect(created.status, created.text).toBe(201);

    expect(await settled(server, apiKey, chatbot.id, created.body.data.id)).toMatchObject({
      status: 'failed',
      error: "the workspace's knowledge would pass its storage limit of 0.01 MB; delete sources to make room",
    });
  });
});
