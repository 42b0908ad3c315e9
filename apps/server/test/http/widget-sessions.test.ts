import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { createWidgetHarness, SITE } from '../helpers/widget.ts';

const FRAME_HTML =
  '<!doctype html><title>panel</title><script type="module" src="/widget/assets/panel-abc123.js"></script>';

let fake: FakeOpenAi;
let server: TestServer;
let widget: ReturnType<typeof createWidgetHarness>;
let widgetDir: string;

beforeAll(async () => {
  widgetDir = mkdtempSync(join(tmpdir(), 'pollybot-widget-'));
  mkdirSync(join(widgetDir, 'assets'));
  writeFileSync(join(widgetDir, 'widget.js'), 'console.log("loader")');
  writeFileSync(join(widgetDir, 'frame.html'), FRAME_HTML);
  writeFileSync(join(widgetDir, 'assets', 'panel-abc123.js'), 'console.log("panel")');
  fake = await startFakeOpenAi();
  server = await startTestServer({
    POLLYBOT_WIDGET_DIR: widgetDir,
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_API_KEY: 'sk-upstream-test',
  });
  widget = createWidgetHarness(server);
});

afterAll(async () => {
  await server.close();
  await fake.close();
  rmSync(widgetDir, { recursive: true, force: true });
});

describe('POST /api/widget/v1/sessions', () => {
  it('starts a session for an allowed origin: a bearer token, a visitor token, no conversation yet, the public config', async () => {
    const { key, chatbot } = await widget.setUp({ settings: { title: 'Acme help' } });

    const started = await widget.startSession({ key });

    expect(started.status, started.text).toBe(201);
    expect(started.body.data).toMatchObject({
      token: expect.stringMatching(/^vs_[0-9A-Za-z]{43}$/),
      visitorToken: expect.stringMatching(/^vt_[0-9A-Za-z]{43}$/),
      visitor: { id: expect.any(String), verified: false, name: null },
      conversationId: null,
      config: { chatbotId: chatbot.id, title: 'Acme help', identity: 'off' },
    });
    expect(started.body.data.config.limits).toBeUndefined();
  });

  it('denies by default: a key with no origins refuses every session with 403 ORIGIN_NOT_ALLOWED', async () => {
    const { key } = await widget.setUp({ origins: [] });

    const refused = await widget.startSession({ key });

    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ORIGIN_NOT_ALLOWED');
  });

  it('refuses an origin not on the list, and a path or another port of an allowed one', async () => {
    const { key } = await widget.setUp({ origins: ['https://shop.example.com'] });

    for (const origin of [
      'https://evil.example',
      'https://shop.example.com:8443',
      'http://shop.example.com',
    ]) {
      const refused = await widget.startSession({ key, origin });
      expect(refused.status, origin).toBe(403);
      expect(refused.body.code).toBe('ORIGIN_NOT_ALLOWED');
    }
    const allowed = await widget.startSession({ key, origin: 'https://shop.example.com/some/page' });
    expect(allowed.status).toBe(201);
  });

  it('answers 401 PUBLISHABLE_KEY_INVALID for an unknown, malformed or revoked key, and the revoked key’s sessions end', async () => {
    const { key, keyId, apiKey, chatbot } = await widget.setUp();
    const before = await widget.session(key);

    const revoked = await server
      .api(apiKey)
      .delete(`/api/v1/chatbots/${chatbot.id}/publishable-keys/${keyId}`);
    expect(revoked.status).toBe(200);

    for (const candidate of [key, 'pk-chatbot_0123456789abcdef0123456789abcdef', 'sk-workspace_nope']) {
      const refused = await widget.startSession({ key: candidate });
      expect(refused.status, candidate).toBe(401);
      expect(refused.body.code).toBe('PUBLISHABLE_KEY_INVALID');
    }
    const chat = await widget.chat(before.token, { message: 'Hi' });
    expect(chat.status).toBe(401);
    expect(chat.body.code).toBe('VISITOR_SESSION_INVALID');
  });

  it('continues the visitor with their visitor token, with their latest conversation', async () => {
    const { key } = await widget.setUp();
    const first = await widget.session(key);
    const chat = await widget.chat(first.token, { message: 'Hello' });
    expect(chat.status, chat.text).toBe(200);

    const again = await widget.session(key, { visitorToken: first.visitorToken });

    expect(again.visitor.id).toBe(first.visitor.id);
    expect(again.visitorToken).toBe(first.visitorToken);
    expect(again.conversationId).toBe(chat.body.data.conversationId);
  });

  it('does not let a visitor token of one chatbot continue a visitor of another', async () => {
    const one = await widget.setUp();
    const other = await widget.setUp();
    const first = await widget.session(one.key);

    const elsewhere = await widget.session(other.key, { visitorToken: first.visitorToken });

    expect(elsewhere.visitor.id).not.toBe(first.visitor.id);
  });

  it('answers 403 CHATBOT_INACTIVE with the offline message for an inactive chatbot', async () => {
    const { key, apiKey, chatbot } = await widget.setUp({ settings: { offlineMessage: 'Back soon!' } });
    await server.api(apiKey).patch(`/api/v1/chatbots/${chatbot.id}`, { status: 'inactive' });

    const refused = await widget.startSession({ key });

    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ success: false, error: 'Back soon!', code: 'CHATBOT_INACTIVE' });
  });
});

describe('CORS of the widget API', () => {
  it('echoes an allowed Origin with Vary: Origin, never *', async () => {
    const { key } = await widget.setUp();

    const config = await server.api().get(`/api/widget/v1/config?key=${key}`, { origin: SITE });
    const session = await widget.startSession({ key }, { origin: SITE });

    for (const response of [config, session]) {
      expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
      expect(response.headers.get('vary')).toContain('Origin');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('gives another origin no CORS header and a 403 ORIGIN_NOT_ALLOWED', async () => {
    const { key } = await widget.setUp();

    const config = await server
      .api()
      .get(`/api/widget/v1/config?key=${key}`, { origin: 'https://evil.example' });

    expect(config.status).toBe(403);
    expect(config.body.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(config.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets the asking origin read a PUBLISHABLE_KEY_INVALID refusal (an unknown or revoked key has no list), and logs its code', async () => {
    const { key, keyId, apiKey, chatbot } = await widget.setUp();
    await server.api(apiKey).delete(`/api/v1/chatbots/${chatbot.id}/publishable-keys/${keyId}`);
    const elsewhere = 'https://anywhere.example';

    const revoked = await server.api().get(`/api/widget/v1/config?key=${key}`, { origin: elsewhere });
    const unknown = await server
      .api()
      .get('/api/widget/v1/config?key=pk-chatbot_0123456789abcdef0123456789abcdef', { origin: SITE });
    const session = await widget.startSession({ key }, { origin: SITE });

    for (const [response, origin] of [
      [revoked, elsewhere],
      [unknown, SITE],
      [session, SITE],
    ] as const) {
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('PUBLISHABLE_KEY_INVALID');
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('vary')).toContain('Origin');
    }
    const logged = server.logLines.map((line) => JSON.parse(line));
    expect(logged.some((entry) => entry.level === 30 && entry.code === 'PUBLISHABLE_KEY_INVALID')).toBe(true);
  });

  it('keeps an ORIGIN_NOT_ALLOWED refusal unreadable, and logs its code', async () => {
    const { key } = await widget.setUp();

    const refused = await widget.startSession({ key }, { origin: 'https://evil.example' });

    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const logged = server.logLines.map((line) => JSON.parse(line));
    expect(logged.some((entry) => entry.level === 30 && entry.code === 'ORIGIN_NOT_ALLOWED')).toBe(true);
  });

  it('needs nothing for the panel’s own requests (the server’s origin)', async () => {
    const { key } = await widget.setUp();

    const config = await server.api().get(`/api/widget/v1/config?key=${key}`, { origin: server.baseUrl });

    expect(config.status).toBe(200);
    expect(config.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight of an allowed origin with the methods and headers, another origin with none', async () => {
    const { key } = await widget.setUp();
    const preflight = (origin: string, path = '/api/widget/v1/chat') =>
      fetch(`${server.baseUrl}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });

    const allowed = await preflight(SITE);
    const withKey = await preflight(SITE, `/api/widget/v1/config?key=${key}`);
    const refused = await preflight('https://evil.example');

    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(allowed.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type, last-event-id',
    );
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(withKey.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(refused.status).toBe(204);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a session’s requests from an origin other than the one it was started for', async () => {
    const { key } = await widget.setUp({ origins: [SITE, 'https://other.example'] });
    const session = await widget.session(key);

    const foreign = await widget.get('/api/widget/v1/conversations', session.token, {
      origin: 'https://other.example',
    });
    const own = await widget.get('/api/widget/v1/conversations', session.token, { origin: SITE });

    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe(SITE);
  });
});

describe('the widget’s files and frame', () => {
  it('serves widget.js cached 5 minutes and hashed assets for good; a missing asset is 404', async () => {
    const script = await fetch(`${server.baseUrl}/widget.js`);
    const asset = await fetch(`${server.baseUrl}/widget/assets/panel-abc123.js`);
    const missing = await fetch(`${server.baseUrl}/widget/assets/nope.js`);

    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(script.headers.get('cache-control')).toBe('public, max-age=300');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(missing.status).toBe(404);
  });

  it('frames the panel for the key’s origins exactly, without X-Frame-Options', async () => {
    const origins = [SITE, 'https://shop.example.com'];
    const { key } = await widget.setUp({ origins });

    const frame = await fetch(`${server.baseUrl}/widget/frame?key=${key}&origin=${encodeURIComponent(SITE)}`);

    expect(frame.status).toBe(200);
    expect(await frame.text()).toBe(FRAME_HTML);
    const policy = frame.headers.get('content-security-policy') ?? '';
    expect(policy).toContain(`frame-ancestors ${origins.join(' ')}`);
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("default-src 'none'");
    expect(frame.headers.get('x-frame-options')).toBeNull();
  });

  it('refuses the frame with 403 and frame-ancestors none for an origin not listed or a revoked key', async () => {
    const { key } = await widget.setUp();

    const foreign = await fetch(`${server.baseUrl}/widget/frame?key=${key}&origin=https://evil.example`);
    const unknown = await fetch(
      `${server.baseUrl}/widget/frame?key=pk-chatbot_0123456789abcdef0123456789abcdef&origin=${SITE}`,
    );

    for (const response of [foreign, unknown]) {
      expect(response.status).toBe(403);
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('serves the preview to a signed-in person of the chatbot’s workspace, framed by the dashboard only', async () => {
    const { chatbot, workspaceId } = await widget.setUp();
    const owner = await server.createUser(workspaceId, 'owner');
    const session = await server.signIn(owner.userId, workspaceId);

    const preview = await server.api().get(`/widget/preview?chatbotId=${chatbot.id}`, session.headers);
    const anonymous = await server.api().get(`/widget/preview?chatbotId=${chatbot.id}`);

    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(anonymous.status).toBe(401);
  });
});
