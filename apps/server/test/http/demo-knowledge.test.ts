import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KNOWLEDGE, type DemoSeed, seedDemo } from '../../src/features/demo/seed-demo.ts';
import { demoDeps } from '../../src/services.ts';
import { eventsOnly, parseSse } from '../helpers/sse.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/test-server.ts';

// The demo as a first start creates it (startTestServer turns the automatic demo off), with no provider configured.

let server: TestServer;
let seed: DemoSeed;

beforeAll(async () => {
  server = await startTestServer();
  const created = await seedDemo(demoDeps(server.services));
  if (!created) throw new Error('the demo was not created');
  seed = created;
});

afterAll(async () => {
  await server.close();
});

async function waitForDocumentation() {
  const client = server.api(seed.apiKey);
  await eventually(async () => {
    const list = await client.get(`/api/v1/chatbots/${seed.chatbotId}/knowledge?limit=100`);
    const sources = list.body.data as { status: string }[];
    return sources.length === DEMO_KNOWLEDGE.length && sources.every((source) => source.status === 'ready');
  });
}

describe('the demo chatbot', () => {
  it('is given PollyBot documentation as text knowledge sources', async () => {
    const list = await server.api(seed.apiKey).get(`/api/v1/chatbots/${seed.chatbotId}/knowledge?limit=100`);

    expect(list.status).toBe(200);
    const sources = list.body.data as { id: string; kind: string; title: string }[];
    expect(sources.map((source) => source.title).sort()).toEqual(
      DEMO_KNOWLEDGE.map((entry) => entry.title).sort(),
    );
    for (const source of sources) {
      expect(source.kind).toBe('text');
      // A list leaves the text out; the source itself carries it.
      const one = await server
        .api(seed.apiKey)
        .get(`/api/v1/chatbots/${seed.chatbotId}/knowledge/${source.id}`);
      expect(one.body.data.content).toMatch(/^# /);
      // Real values, not placeholders such as "(N)" or `"requests": N`.
      expect(one.body.data.content).not.toMatch(/\(\s*[A-Z]\s*\)|:\s*[A-Z]\b[,}]/);
    }
  });

  it('welcomes the printed curl message with the documentation topics', async () => {
    await waitForDocumentation();

    const reply = await server.api(seed.apiKey).post(`/api/v1/chatbots/${seed.chatbotId}/chat`, {
      message: 'Hello, how can you help me?',
    });

    expect(reply.status, reply.text).toBe(200);
    const response = reply.body.data.response as string;
    expect(response).toContain('PollyBot Demo');
    for (const { title } of DEMO_KNOWLEDGE) expect(response).toContain(title);
  });

  it('answers how to stream a reply from the streaming document', async () => {
    await waitForDocumentation();

    const reply = await server.api(seed.apiKey).post(`/api/v1/chatbots/${seed.chatbotId}/chat`, {
      message: 'How do I stream a reply?',
    });

    expect(reply.status, reply.text).toBe(200);
    const { response, sources } = reply.body.data as { response: string; sources: { title: string }[] };
    expect(response).toContain('"stream": true');
    for (const event of ['start', 'delta', 'done']) expect(response).toContain(`\`${event}\``);
    expect(sources[0]?.title).toBe('Streaming replies');
  });

  it('streams the same answer as Server-Sent Events', async () => {
    await waitForDocumentation();

    const response = await server.chat(seed.apiKey, seed.chatbotId, {
      message: 'How do I stream a reply?',
      stream: true,
    });

    expect(response.status).toBe(200);
    const events = eventsOnly(parseSse(await response.text()));
    const done = events.at(-1) as {
      event: string;
      data: { data: { response: string; sources: { title: string }[] } };
    };
    expect(done.event).toBe('done');
    expect(done.data.data.response).toContain('"stream": true');
    expect(done.data.data.sources[0]?.title).toBe('Streaming replies');
  });
});
