import { DEFAULT_WIDGET_SETTINGS, PUBLISHABLE_KEY_PATTERN } from '@pollybot/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ apiKey } = await server.createWorkspace(1000));
});

afterAll(async () => {
  await server.close();
});

describe('publishable keys', () => {
  it('creates a key bound to the chatbot and its normalised origins, answered 201 with data.key', async () => {
    const bot = await server.createChatbot(apiKey);
    const created = await server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/publishable-keys`, {
      allowedOrigins: ['https://Shop.Example.com/', 'https://shop.example.com', 'http://localhost:8080'],
      name: 'Main site',
    });

    expect(created.status, created.text).toBe(201);
    expect(created.body.data).toEqual({
      id: expect.any(String),
      chatbotId: bot.id,
      name: 'Main site',
      key: expect.stringMatching(PUBLISHABLE_KEY_PATTERN),
      allowedOrigins: ['https://shop.example.com', 'http://localhost:8080'],
      createdAt: expect.any(String),
      revokedAt: null,
    });
  });

  it('lists the chatbot’s keys newest first, and a revoked key shows its revocation', async () => {
    const bot = await server.createChatbot(apiKey);
    const client = server.api(apiKey);
    const first = await client.post(`/api/v1/chatbots/${bot.id}/publishable-keys`, { allowedOrigins: [] });
    const second = await client.post(`/api/v1/chatbots/${bot.id}/publishable-keys`, { allowedOrigins: [] });
    const revoked = await client.delete(`/api/v1/chatbots/${bot.id}/publishable-keys/${first.body.data.id}`);
    expect(revoked.body).toEqual({ success: true, data: { id: first.body.data.id, revoked: true } });

    const list = await client.get(`/api/v1/chatbots/${bot.id}/publishable-keys`);

    expect(list.status).toBe(200);
    expect(list.body.data.map((key: { id: string }) => key.id)).toEqual([
      second.body.data.id,
      first.body.data.id,
    ]);
    expect(list.body.data[1].revokedAt).toEqual(expect.any(String));
    expect(list.body.nextCursor).toBeNull();
    const again = await client.delete(`/api/v1/chatbots/${bot.id}/publishable-keys/${first.body.data.id}`);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('PUBLISHABLE_KEY_NOT_FOUND');
  });

  it('replaces a key’s origins with PATCH', async () => {
    const bot = await server.createChatbot(apiKey);
    const client = server.api(apiKey);
    const key = await client.post(`/api/v1/chatbots/${bot.id}/publishable-keys`, { allowedOrigins: [] });

    const patched = await client.patch(`/api/v1/chatbots/${bot.id}/publishable-keys/${key.body.data.id}`, {
      allowedOrigins: ['https://a.example'],
    });

    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.data.allowedOrigins).toEqual(['https://a.example']);
  });

  it('accepts what a browser reduces to an origin (default ports, a trailing slash, any case) and stores that origin', async () => {
    const bot = await server.createChatbot(apiKey);
    const created = await server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/publishable-keys`, {
      allowedOrigins: [
        'http://localhost:80',
        'https://www.example.com:443/',
        'HTTP://127.0.0.1:5173/',
        'http://[::1]:8080',
        'https://Shop.Example.com:8443',
      ],
    });

    expect(created.status, created.text).toBe(201);
    expect(created.body.data.allowedOrigins).toEqual([
      'http://localhost',
      'https://www.example.com',
      'http://127.0.0.1:5173',
      'http://[::1]:8080',
      'https://shop.example.com:8443',
    ]);
    const patched = await server
      .api(apiKey)
      .patch(`/api/v1/chatbots/${bot.id}/publishable-keys/${created.body.data.id}`, {
        allowedOrigins: ['http://localhost:80/'],
      });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.data.allowedOrigins).toEqual(['http://localhost']);
  });

  it('refuses origins with a path, query, fragment, credentials or a wildcard', async () => {
    const bot = await server.createChatbot(apiKey);
    for (const origin of [
      'https://a.example/shop',
      'https://*.example.com',
      'ftp://a.example',
      'a.example',
      'https://a.example/?x=1',
      'https://a.example?x=1',
      'https://a.example#top',
      'https://user:pw@a.example',
      'https://a.example\\shop',
      'https://a.example//',
      ' https://a.example',
    ]) {
      const response = await server
        .api(apiKey)
        .post(`/api/v1/chatbots/${bot.id}/publishable-keys`, { allowedOrigins: [origin] });
      expect(response.status, origin).toBe(400);
      expect(response.body.code).toBe('VALIDATION_ERROR');
    }
  });

  it('answers 404 CHATBOT_NOT_FOUND for another workspace’s chatbot', async () => {
    const other = await server.createWorkspace(10, 'Other');
    const bot = await server.createChatbot(other.apiKey);

    const response = await server
      .api(apiKey)
      .post(`/api/v1/chatbots/${bot.id}/publishable-keys`, { allowedOrigins: [] });

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('CHATBOT_NOT_FOUND');
  });

  it('keeps at most 20 live keys per chatbot: the 21st is 409 PUBLISHABLE_KEY_LIMIT_REACHED', async () => {
    const bot = await server.createChatbot(apiKey);
    const client = server.api(apiKey);
    for (let index = 0; index < 20; index += 1) {
      const created = await client.post(`/api/v1/chatbots/${bot.id}/publishable-keys`, {
        allowedOrigins: [],
      });
      expect(created.status).toBe(201);
    }

    const refused = await client.post(`/api/v1/chatbots/${bot.id}/publishable-keys`, { allowedOrigins: [] });

    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('PUBLISHABLE_KEY_LIMIT_REACHED');
  });
});

describe('widget settings', () => {
  it('answers the defaults until changed, then keeps the fields a PUT does not name', async () => {
    const bot = await server.createChatbot(apiKey);
    const client = server.api(apiKey);

    const initial = await client.get(`/api/v1/chatbots/${bot.id}/widget`);
    expect(initial.body.data).toEqual({
      chatbotId: bot.id,
      settings: DEFAULT_WIDGET_SETTINGS,
      hasIdentitySecret: false,
    });

    const updated = await client.send('PUT', `/api/v1/chatbots/${bot.id}/widget`, {
      title: 'Acme Bikes',
      accentColor: '#0f766e',
    });
    expect(updated.status, updated.text).toBe(200);
    const read = await client.get(`/api/v1/chatbots/${bot.id}/widget`);
    expect(read.body.data.settings).toEqual({
      ...DEFAULT_WIDGET_SETTINGS,
      title: 'Acme Bikes',
      accentColor: '#0f766e',
    });
  });

  it('shows a new identity secret once and never again', async () => {
    const bot = await server.createChatbot(apiKey);
    const client = server.api(apiKey);

    const created = await client.post(`/api/v1/chatbots/${bot.id}/widget/identity-secret`);

    expect(created.status, created.text).toBe(201);
    expect(created.body.data.secret).toMatch(/^whsec_[0-9A-Za-z]{48}$/);
    const read = await client.get(`/api/v1/chatbots/${bot.id}/widget`);
    expect(read.body.data.hasIdentitySecret).toBe(true);
    expect(read.text).not.toContain(created.body.data.secret);
    expect(server.logLines.join('\n')).not.toContain(created.body.data.secret);
  });
});
