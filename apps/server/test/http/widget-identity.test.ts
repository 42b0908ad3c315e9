import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { createWidgetHarness } from '../helpers/widget.ts';

let server: TestServer;
let widget: ReturnType<typeof createWidgetHarness>;

beforeAll(async () => {
  server = await startTestServer();
  widget = createWidgetHarness(server);
});

afterAll(async () => {
  await server.close();
});

type Claims = { sub?: string; name?: string; email?: string; aud?: string; exp?: number | string };

function sign(secret: string, claims: Claims = {}, alg = 'HS256'): Promise<string> {
  const { sub = 'customer-42', exp = '1h', ...rest } = claims;
  let jwt = new SignJWT(rest).setProtectedHeader({ alg }).setIssuedAt();
  if (sub !== '') jwt = jwt.setSubject(sub);
  jwt = jwt.setExpirationTime(exp);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** A local-model chatbot with an identity mode and its secret. */
async function setUpIdentity(identity: 'optional' | 'required') {
  const setUp = await widget.setUp({ chatbot: { model: 'local/pollybot' }, settings: { identity } });
  const created = await server
    .api(setUp.apiKey)
    .post(`/api/v1/chatbots/${setUp.chatbot.id}/widget/identity-secret`);
  expect(created.status).toBe(201);
  return { ...setUp, secret: created.body.data.secret as string };
}

describe('verified visitors', () => {
  it('stores the verified sub as metadata.userId: the inbox shows the widget conversation with the visitor', async () => {
    const { key, apiKey, chatbot, secret } = await setUpIdentity('optional');
    const token = await sign(secret, { name: 'Ada Lovelace', email: 'ada@example.com', aud: chatbot.id });
    const session = await widget.session(key, { identityToken: token });
    expect(session.visitor).toMatchObject({ verified: true, name: 'Ada Lovelace' });

    const chat = await widget.chat(session.token, { message: 'Where is my order?' });
    expect(chat.status, chat.text).toBe(200);

    const inbox = await server.api(apiKey).get('/api/v1/conversations?userId=customer-42');
    expect(inbox.body.data).toEqual([
      expect.objectContaining({
        id: chat.body.data.conversationId,
        channel: 'widget',
        visitor: {
          id: session.visitor.id,
          verified: true,
          userId: 'customer-42',
          name: 'Ada Lovelace',
          email: 'ada@example.com',
        },
      }),
    ]);
    const read = await server
      .api(apiKey)
      .get(`/api/v1/chatbots/${chatbot.id}/conversations/${chat.body.data.conversationId}`);
    expect(read.body.data.messages[0].metadata).toEqual({
      userId: 'customer-42',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
    });
    // The conversation's own page names its channel and visitor as the inbox does.
    expect(read.body.data).toMatchObject({
      channel: 'widget',
      visitor: {
        id: session.visitor.id,
        verified: true,
        userId: 'customer-42',
        name: 'Ada Lovelace',
        email: 'ada@example.com',
      },
    });
  });

  it('refuses each bad identity token with its code', async () => {
    const { key, secret } = await setUpIdentity('optional');
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, Promise<string> | string, string][] = [
      ['a wrong signature', sign('whsec_not-the-right-secret-at-all-00000000000000'), 'IDENTITY_INVALID'],
      ['an expired token', sign(secret, { exp: now - 3600 }), 'IDENTITY_EXPIRED'],
      ['exp more than 24 h ahead', sign(secret, { exp: now + 25 * 3600 }), 'IDENTITY_EXPIRED'],
      ['another chatbot as aud', sign(secret, { aud: 'some-other-chatbot' }), 'IDENTITY_WRONG_CHATBOT'],
      ['no sub', sign(secret, { sub: '' }), 'IDENTITY_INVALID'],
      ['another algorithm', sign(secret, {}, 'HS512'), 'IDENTITY_INVALID'],
      ['not a JWT', 'not-a-jwt', 'IDENTITY_INVALID'],
    ];
    for (const [label, token, code] of cases) {
      const refused = await widget.startSession({ key, identityToken: await token });
      expect(refused.status, label).toBe(401);
      expect(refused.body.code, label).toBe(code);
    }
  });

  it('requires a token when the mode is required; optional lets an anonymous visitor in', async () => {
    const required = await setUpIdentity('required');
    const optional = await setUpIdentity('optional');

    const missing = await widget.startSession({ key: required.key });
    const anonymous = await widget.startSession({ key: optional.key });

    expect(missing.status).toBe(401);
    expect(missing.body.code).toBe('IDENTITY_REQUIRED');
    expect(anonymous.status).toBe(201);
    expect(anonymous.body.data.visitor.verified).toBe(false);
  });

  it('stops verifying tokens signed with a secret that was rotated', async () => {
    const { key, apiKey, chatbot, secret } = await setUpIdentity('required');
    const token = await sign(secret);
    await server.api(apiKey).post(`/api/v1/chatbots/${chatbot.id}/widget/identity-secret`);

    const refused = await widget.startSession({ key, identityToken: token });

    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('IDENTITY_INVALID');
  });

  it('opens a verified visitor’s conversations only with their identity, never with the visitor token alone', async () => {
    const { key, secret } = await setUpIdentity('optional');
    const verified = await widget.session(key, { identityToken: await sign(secret) });
    const chat = await widget.chat(verified.token, { message: 'Private' });

    const tokenOnly = await widget.session(key, { visitorToken: verified.visitorToken });
    const again = await widget.session(key, {
      visitorToken: verified.visitorToken,
      identityToken: await sign(secret),
    });

    expect(tokenOnly.visitor.id).not.toBe(verified.visitor.id);
    expect(tokenOnly.conversationId).toBeNull();
    expect(again.visitor.id).toBe(verified.visitor.id);
    expect(again.conversationId).toBe(chat.body.data.conversationId);
  });
});
