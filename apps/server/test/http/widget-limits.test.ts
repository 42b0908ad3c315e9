import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { createWidgetHarness } from '../helpers/widget.ts';

let server: TestServer;
let widget: ReturnType<typeof createWidgetHarness>;

const LIMIT_MESSAGE = 'You have reached today’s limit. Please come back later.';

beforeAll(async () => {
  server = await startTestServer();
  widget = createWidgetHarness(server);
});

afterAll(async () => {
  await server.close();
});

/** A chatbot on the built-in local model (free, no provider), with widget limits of `perVisitor` and `perIp`. */
function setUpLimited(limits: { perVisitor: number; perIp: number; perDay?: number }, identity?: 'optional') {
  return widget.setUp({
    chatbot: { model: 'local/pollybot', rateLimit: { requests: 1000, windowSeconds: 60 } },
    settings: {
      limitMessage: LIMIT_MESSAGE,
      ...(identity ? { identity } : {}),
      limits: {
        perVisitor: { requests: limits.perVisitor, windowSeconds: 600 },
        perIp: { requests: limits.perIp, windowSeconds: 600 },
        perDay: limits.perDay ?? 5_000,
      },
    },
  });
}

describe('the widget’s limits', () => {
  it('lets exactly 10 of 40 concurrent sends through at a per-visitor limit of 10; the rest are 429 WIDGET_LIMIT_EXCEEDED', async () => {
    const { key } = await setUpLimited({ perVisitor: 10, perIp: 1000 });
    const session = await widget.session(key);

    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, index) => widget.chat(session.token, { message: `Message ${index}` })),
    );

    expect(responses.filter((response) => response.status === 200)).toHaveLength(10);
    const refused = responses.filter((response) => response.status !== 200);
    expect(refused).toHaveLength(30);
    for (const response of refused) {
      expect(response.status).toBe(429);
      expect(response.body).toMatchObject({
        success: false,
        error: LIMIT_MESSAGE,
        code: 'WIDGET_LIMIT_EXCEEDED',
        retryAfter: expect.any(Number),
      });
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('still refuses a visitor who drops their token and starts anew: the per-IP budget is shared', async () => {
    const { key } = await setUpLimited({ perVisitor: 3, perIp: 3 });
    const first = await widget.session(key);
    for (let index = 0; index < 3; index += 1) {
      const sent = await widget.chat(first.token, { message: `Hi ${index}` });
      expect(sent.status).toBe(200);
    }
    expect((await widget.chat(first.token, { message: 'One more' })).status).toBe(429);

    // No visitor token: a new anonymous visitor, from the same address.
    const fresh = await widget.session(key);
    const response = await widget.chat(fresh.token, { message: 'Hello again' });

    expect(fresh.visitor.id).not.toBe(first.visitor.id);
    expect(response.status).toBe(429);
    expect(response.body.code).toBe('WIDGET_LIMIT_EXCEEDED');
  });

  it('keeps a verified visitor’s limit across new sessions and devices: they are the same visitor', async () => {
    const { key, apiKey, chatbot } = await setUpLimited({ perVisitor: 2, perIp: 1000 }, 'optional');
    const secret = await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/widget/identity-secret`);
    const sign = () =>
      new SignJWT({ name: 'Ada' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('customer-42')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(secret.body.data.secret));
    const laptop = await widget.session(key, { identityToken: await sign() });
    expect((await widget.chat(laptop.token, { message: 'One' })).status).toBe(200);
    expect((await widget.chat(laptop.token, { message: 'Two' })).status).toBe(200);

    const phone = await widget.session(key, { identityToken: await sign() });
    const response = await widget.chat(phone.token, { message: 'Three' });

    expect(phone.visitor.id).toBe(laptop.visitor.id);
    expect(response.status).toBe(429);
    expect(response.body.code).toBe('WIDGET_LIMIT_EXCEEDED');
  });

  it('counts the chatbot’s widget messages per day', async () => {
    const { key } = await setUpLimited({ perVisitor: 100, perIp: 100, perDay: 2 });
    const one = await widget.session(key);
    const two = await widget.session(key);
    expect((await widget.chat(one.token, { message: 'A' })).status).toBe(200);
    expect((await widget.chat(two.token, { message: 'B' })).status).toBe(200);

    const response = await widget.chat(one.token, { message: 'C' });

    expect(response.status).toBe(429);
    expect(response.body).toMatchObject({ error: LIMIT_MESSAGE, code: 'WIDGET_LIMIT_EXCEEDED' });
  });

  it('limits new visitors to 20 per IP address per chatbot per hour; a returning visitor still starts', async () => {
    const { key } = await setUpLimited({ perVisitor: 10, perIp: 10 });
    const first = await widget.session(key);
    for (let index = 1; index < 20; index += 1) await widget.session(key);

    const refused = await widget.startSession({ key });
    const returning = await widget.startSession({ key, visitorToken: first.visitorToken });

    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: LIMIT_MESSAGE, code: 'WIDGET_LIMIT_EXCEEDED' });
    expect(returning.status).toBe(201);
    expect(returning.body.data.visitor.id).toBe(first.visitor.id);
  });
});
