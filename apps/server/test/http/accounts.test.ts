import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/features/accounts/password-hash.ts';
import { expectFailure } from '../helpers/expect-failure.ts';
import {
  apiClient,
  eventually,
  readSessionCookie,
  sessionHeaders,
  sessionOf,
  startTestServer,
  type TestServer,
  type TestSession,
} from '../helpers/test-server.ts';

// Time moves only when a test says so: sessions and invitations expire by the server's clock, not by sleeping.
let clockOffsetMs = 0;
const clock = { now: () => new Date(Date.now() + clockOffsetMs) };
const DAY_MS = 24 * 60 * 60 * 1000;

const OWNER = { email: 'Olive.Owner@Example.com', name: 'Olive Owner', password: 'olive-password-1' };

let server: TestServer;
/** The owner set up through POST /api/auth/setup, in the workspace that existed first. */
let owner: { userId: string; workspaceId: string; session: TestSession };

beforeAll(async () => {
  server = await startTestServer({}, { clock });
  // The first workspace, as the demo seed makes one on a fresh install.
  const { workspaceId } = await server.createWorkspace(500, 'First workspace', 'demo');
  await server.createWorkspace(500, 'Second workspace');
  const setupToken = await server.issueSetupToken();
  const response = await server.api().post('/api/auth/setup', { ...OWNER, setupToken });
  expect(response.status, response.text).toBe(201);
  owner = { userId: response.body.data.user.id, workspaceId, session: sessionOf(response) };
});

afterAll(async () => {
  await server.close();
});

describe('first-time setup', () => {
  /** A fresh server with no account, and a setup token it issued, as one prints at start. */
  async function startFresh(env: Record<string, string> = {}) {
    const fresh = await startTestServer(env);
    const setupToken = await fresh.issueSetupToken();
    if (!setupToken) throw new Error('a fresh server needs setup');
    return { fresh, setupToken };
  }

  const countUsers = async (target: TestServer) =>
    (await target.services.db.selectFrom('users').select('id').execute()).length;

  it('reports needsSetup until the first account exists, then never again', async () => {
    const { fresh, setupToken } = await startFresh();
    try {
      expect((await fresh.api().get('/api/auth/state')).body).toEqual({
        success: true,
        data: { needsSetup: true },
      });
      const setup = await fresh.api().post('/api/auth/setup', { ...OWNER, setupToken });
      expect(setup.status, setup.text).toBe(201);
      expect((await fresh.api().get('/api/auth/state')).body).toEqual({
        success: true,
        data: { needsSetup: false },
      });
    } finally {
      await fresh.close();
    }
  });

  it('refuses an anonymous setup without a setup token: 401 SETUP_TOKEN_INVALID, nobody created, no cookie', async () => {
    const { fresh } = await startFresh();
    try {
      await fresh.createWorkspace(100, 'Demo', 'demo');
      const response = await fresh.api().post('/api/auth/setup', OWNER);

      expectFailure(response, 401, 'SETUP_TOKEN_INVALID');
      expect(response.body.error).toMatch(/start-up output/);
      expect(readSessionCookie(response)).toBeUndefined();
      expect(await countUsers(fresh)).toBe(0);
      expect((await fresh.api().get('/api/auth/state')).body.data.needsSetup).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it.each([
    ['a wrong token', 'A'.repeat(43)],
    ['an empty token', ''],
    ['the printed token with a character appended', undefined],
  ])('refuses %s with 401 SETUP_TOKEN_INVALID', async (_label, wrong) => {
    const { fresh, setupToken } = await startFresh({ POLLYBOT_ADMIN_TOKEN: 'the-operator-admin-token' });
    try {
      const response = await fresh
        .api()
        .post('/api/auth/setup', { ...OWNER, setupToken: wrong ?? `${setupToken}x` });

      expectFailure(response, 401, 'SETUP_TOKEN_INVALID');
      expect(await countUsers(fresh)).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('counts wrong setup tokens as failed sign-ins of the IP address: past 5, even the right one waits (429)', async () => {
    const { fresh, setupToken } = await startFresh({ POLLYBOT_ADMIN_TOKEN: 'the-operator-admin-token' });
    try {
      for (let guess = 0; guess < 5; guess += 1) {
        const response = await fresh
          .api()
          .post('/api/auth/setup', { ...OWNER, setupToken: `wrong-admin-token-${guess}` });
        expectFailure(response, 401, 'SETUP_TOKEN_INVALID');
      }

      const response = await fresh.api().post('/api/auth/setup', { ...OWNER, setupToken });

      expectFailure(response, 429, 'RATE_LIMIT_EXCEEDED');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await countUsers(fresh)).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('accepts POLLYBOT_ADMIN_TOKEN as the setup token', async () => {
    const fresh = await startTestServer({ POLLYBOT_ADMIN_TOKEN: 'the-operator-admin-token' });
    try {
      const response = await fresh
        .api()
        .post('/api/auth/setup', { ...OWNER, setupToken: 'the-operator-admin-token' });

      expect(response.status, response.text).toBe(201);
      expect(response.body.data.role).toBe('owner');
    } finally {
      await fresh.close();
    }
  });

  it('accepts a token any start printed, and none once setup is done (the tokens are deleted with it)', async () => {
    const { fresh, setupToken: first } = await startFresh();
    try {
      const second = await fresh.issueSetupToken();
      const setup = await fresh.api().post('/api/auth/setup', { ...OWNER, setupToken: first });
      expect(setup.status, setup.text).toBe(201);

      const again = await fresh
        .api()
        .post('/api/auth/setup', { ...OWNER, email: 'x@example.com', setupToken: second });
      expectFailure(again, 409, 'SETUP_ALREADY_DONE');
      expect(await fresh.services.db.selectFrom('setup_tokens').selectAll().execute()).toEqual([]);
      expect(await fresh.issueSetupToken()).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });

  it('makes the first account the owner of the demo workspace, with a session cookie and a CSRF token', async () => {
    const session = await server.sessionApi(owner.session).get('/api/auth/session');

    expect(session.status, session.text).toBe(200);
    expect(session.body.data).toEqual({
      user: { id: owner.userId, email: 'olive.owner@example.com', name: 'Olive Owner' },
      workspace: { id: owner.workspaceId, name: 'First workspace', credits: 500 },
      role: 'owner',
      csrfToken: owner.session.csrfToken,
    });
    expect(owner.session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(owner.session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(owner.session.token).not.toBe(owner.session.csrfToken);
  });

  it('creates a "Default workspace" with 0 credits when there is no workspace at all', async () => {
    const { fresh: empty, setupToken } = await startFresh();
    try {
      const response = await empty.api().post('/api/auth/setup', { ...OWNER, setupToken });

      expect(response.status, response.text).toBe(201);
      expect(response.body.data).toMatchObject({
        workspace: { name: 'Default workspace', credits: 0 },
        role: 'owner',
      });
    } finally {
      await empty.close();
    }
  });

  it('never attaches the setup person to a workspace the operator API created: it gets a workspace of its own', async () => {
    const { fresh, setupToken } = await startFresh({ POLLYBOT_ADMIN_TOKEN: 'the-operator-admin-token' });
    try {
      const admin = apiClient(fresh.baseUrl, 'the-operator-admin-token');
      const made = await admin.post('/api/admin/workspaces', { name: 'Customer', credits: 100 });
      expect(made.status, made.text).toBe(201);

      const response = await fresh.api().post('/api/auth/setup', { ...OWNER, setupToken });

      expect(response.status, response.text).toBe(201);
      expect(response.body.data.workspace.id).not.toBe(made.body.data.workspace.id);
      expect(response.body.data.workspace.name).toBe('Default workspace');
      const members = await fresh.services.db
        .selectFrom('memberships')
        .select('user_id')
        .where('workspace_id', '=', made.body.data.workspace.id)
        .execute();
      expect(members).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('answers 409 SETUP_ALREADY_DONE once an account exists, and creates nobody', async () => {
    const response = await server.api().post('/api/auth/setup', {
      email: 'intruder@example.com',
      name: 'Intruder',
      password: 'intruder-password',
    });

    expectFailure(response, 409, 'SETUP_ALREADY_DONE');
    expect(readSessionCookie(response)).toBeUndefined();
    const intruder = await server.services.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'intruder@example.com')
      .executeTakeFirst();
    expect(intruder).toBeUndefined();
  });

  it('lets exactly one of several simultaneous setups through; the others answer 409', async () => {
    const { fresh, setupToken } = await startFresh();
    try {
      const responses = await Promise.all(
        Array.from({ length: 5 }, (_, index) =>
          fresh.api().post('/api/auth/setup', { ...OWNER, setupToken, email: `racer${index}@example.com` }),
        ),
      );

      expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409]);
      const users = await fresh.services.db.selectFrom('users').select('id').execute();
      const owners = await fresh.services.db.selectFrom('memberships').select('role').execute();
      expect(users).toHaveLength(1);
      expect(owners).toEqual([{ role: 'owner' }]);
    } finally {
      await fresh.close();
    }
  });

  it.each([
    ['a password under 10 characters', { ...OWNER, password: 'short-pw1' }, 'body.password'],
    ['an address that is not one', { ...OWNER, email: 'not-an-address' }, 'body.email'],
    ['an empty name', { ...OWNER, name: '   ' }, 'body.name'],
  ])('answers 400 VALIDATION_ERROR for %s', async (_label, body, path) => {
    const { fresh, setupToken } = await startFresh();
    try {
      const response = await fresh.api().post('/api/auth/setup', { ...body, setupToken });

      expectFailure(response, 400, 'VALIDATION_ERROR');
      expect(response.body.details.map((detail: { path: string }) => detail.path)).toContain(path);
      expect((await fresh.api().get('/api/auth/state')).body.data.needsSetup).toBe(true);
    } finally {
      await fresh.close();
    }
  });
});

describe('passwords', () => {
  it('stores a salted scrypt hash that is not the password and verifies it', async () => {
    const row = await server.services.db
      .selectFrom('users')
      .select(['email', 'password_hash'])
      .where('id', '=', owner.userId)
      .executeTakeFirstOrThrow();

    expect(row.email).toBe('olive.owner@example.com');
    expect(row.password_hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(row.password_hash).not.toContain(OWNER.password);
    expect(await verifyPassword(OWNER.password, row.password_hash)).toBe(true);
    expect(await verifyPassword(`${OWNER.password}x`, row.password_hash)).toBe(false);
  });

  it('never writes a password, session token or CSRF token to the log', async () => {
    const login = await server
      .api()
      .post('/api/auth/login', { email: OWNER.email, password: OWNER.password });
    const session = sessionOf(login);
    await server.sessionApi(session).get('/api/v1/workspace');
    await server.sessionApi(session).post('/api/v1/chatbots', { name: 'Logged bot' });

    const log = server.logLines.join('\n');
    for (const secret of [OWNER.password, owner.session.token, session.token, session.csrfToken])
      expect(log).not.toContain(secret);
  });
});

describe('POST /api/auth/login', () => {
  it('signs in with the address in any case: 200, the session, and a cookie that opens /api/v1', async () => {
    const response = await server.api().post('/api/auth/login', {
      email: 'OLIVE.OWNER@example.COM',
      password: OWNER.password,
    });

    expect(response.status, response.text).toBe(200);
    expect(response.body.data).toMatchObject({
      user: { id: owner.userId, email: 'olive.owner@example.com' },
      workspace: { id: owner.workspaceId },
      role: 'owner',
    });
    const workspace = await server.sessionApi(sessionOf(response)).get('/api/v1/workspace');
    expect(workspace.body.data.id).toBe(owner.workspaceId);
  });

  it('answers a wrong password and an unknown address with the same 401 INVALID_CREDENTIALS, and no cookie', async () => {
    const wrong = await server
      .api()
      .post('/api/auth/login', { email: OWNER.email, password: 'wrong-password' });
    const unknown = await server
      .api()
      .post('/api/auth/login', { email: 'nobody@example.com', password: OWNER.password });

    expectFailure(wrong, 401, 'INVALID_CREDENTIALS');
    expect(unknown.text).toBe(wrong.text);
    expect(readSessionCookie(wrong)).toBeUndefined();
    expect(readSessionCookie(unknown)).toBeUndefined();
  });

  it('sets pollybot_session HttpOnly, SameSite=Lax, Path=/, for 7 days, and not Secure over plain HTTP', async () => {
    const response = await server
      .api()
      .post('/api/auth/login', { email: OWNER.email, password: OWNER.password });

    const cookie = readSessionCookie(response);
    expect(cookie?.attributes).toEqual(
      expect.arrayContaining(['httponly', 'samesite=lax', 'path=/', `max-age=${7 * 24 * 60 * 60}`]),
    );
    expect(cookie?.attributes).not.toContain('secure');
  });

  it('sets the cookie Secure when the request came over HTTPS through a trusted proxy, and only then', async () => {
    const behindProxy = await startTestServer({ TRUST_PROXY: '1' });
    try {
      const { workspaceId } = await behindProxy.createWorkspace();
      const person = await behindProxy.createUser(workspaceId, 'owner');
      const credentials = { email: person.email, password: person.password };

      const overHttps = await behindProxy
        .api()
        .post('/api/auth/login', credentials, { 'x-forwarded-proto': 'https' });
      const overHttp = await behindProxy
        .api()
        .post('/api/auth/login', credentials, { 'x-forwarded-proto': 'http' });
      // Without TRUST_PROXY the header is anyone's to send, so it is not believed.
      const untrusted = await server
        .api()
        .post(
          '/api/auth/login',
          { email: OWNER.email, password: OWNER.password },
          { 'x-forwarded-proto': 'https' },
        );

      expect(readSessionCookie(overHttps)?.attributes).toContain('secure');
      expect(readSessionCookie(overHttp)?.attributes).not.toContain('secure');
      expect(readSessionCookie(untrusted)?.attributes).not.toContain('secure');
    } finally {
      await behindProxy.close();
    }
  });
});

describe('sign-in rate limits', () => {
  // Behind one trusted proxy, X-Forwarded-For says which client each attempt comes from.
  let limited: TestServer;
  let people: { email: string; password: string }[];
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  beforeAll(async () => {
    limited = await startTestServer({ TRUST_PROXY: '1' });
    const { workspaceId } = await limited.createWorkspace();
    people = await Promise.all(Array.from({ length: 5 }, () => limited.createUser(workspaceId, 'member')));
  });

  afterAll(async () => {
    await limited.close();
  });

  const logIn = (person: { email: string }, password: string, ip: string) =>
    limited.api().post('/api/auth/login', { email: person.email, password }, from(ip));

  it('answers 429 RATE_LIMIT_EXCEEDED, with retryAfter and Retry-After, after 5 failures for one address, even to the right password', async () => {
    const [person, bystander] = people as [
      { email: string; password: string },
      { email: string; password: string },
    ];
    for (let attempt = 1; attempt <= 5; attempt++)
      expectFailure(
        await logIn(person, 'wrong-password', `198.51.100.${attempt}`),
        401,
        'INVALID_CREDENTIALS',
      );

    const refused = await logIn(person, person.password, '198.51.100.99');

    expectFailure(refused, 429, 'RATE_LIMIT_EXCEEDED');
    expect(Number.isInteger(refused.body.retryAfter)).toBe(true);
    // The fifth failure starts a wait of 1 second, not a lockout of a quarter of an hour.
    expect(refused.body.retryAfter).toBe(1);
    expect(refused.headers.get('retry-after')).toBe(String(refused.body.retryAfter));
    expect(readSessionCookie(refused)).toBeUndefined();
    // Another address from the same client is not held back.
    expect((await logIn(bystander, bystander.password, '198.51.100.99')).status).toBe(200);
  });

  it('slows attempts after 5 failures instead of locking out: the wait starts at 1 second and doubles with each further failure', async () => {
    const person = people[4] as { email: string; password: string };
    for (let attempt = 1; attempt <= 5; attempt++)
      await logIn(person, 'wrong-password', `198.51.101.${attempt}`);
    const first = await logIn(person, person.password, '198.51.101.50');
    expectFailure(first, 429, 'RATE_LIMIT_EXCEEDED');
    expect(first.body.retryAfter).toBe(1);

    // Once the wait is over, the next attempt is heard (a sixth failure), and the wait after it is 2 seconds.
    let sixth = first;
    await eventually(async () => {
      sixth = await logIn(person, 'wrong-password', '198.51.101.51');
      return sixth.status !== 429;
    });
    expectFailure(sixth, 401, 'INVALID_CREDENTIALS');
    const second = await logIn(person, person.password, '198.51.101.52');
    expectFailure(second, 429, 'RATE_LIMIT_EXCEEDED');
    expect(second.body.retryAfter).toBe(2);

    // The rightful owner gets in as soon as that wait is over.
    let signedIn = second;
    await eventually(async () => {
      signedIn = await logIn(person, person.password, '198.51.101.53');
      return signedIn.status !== 429;
    });
    expect(signedIn.status, signedIn.text).toBe(200);
  });

  it('answers 429 after 5 failures from one IP address, whatever the addresses tried; other clients still sign in', async () => {
    const person = people[2] as { email: string; password: string };
    for (let attempt = 1; attempt <= 5; attempt++) {
      const guess = await logIn({ email: `guess${attempt}@example.com` }, 'wrong-password', '203.0.113.7');
      expectFailure(guess, 401, 'INVALID_CREDENTIALS');
    }

    expectFailure(await logIn(person, person.password, '203.0.113.7'), 429, 'RATE_LIMIT_EXCEEDED');
    expect((await logIn(person, person.password, '203.0.113.8')).status).toBe(200);
  });

  it('counts only failures: a successful sign-in gives its attempt back', async () => {
    const person = people[3] as { email: string; password: string };
    const ip = '192.0.2.44';
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++)
      statuses.push((await logIn(person, 'wrong-password', ip)).status);
    statuses.push((await logIn(person, person.password, ip)).status);
    statuses.push((await logIn(person, 'wrong-password', ip)).status);
    statuses.push((await logIn(person, person.password, ip)).status);

    // Four failures, a success, the fifth failure: still allowed. Then the allowance is used up.
    expect(statuses).toEqual([401, 401, 401, 401, 200, 401, 429]);
  });
});

describe('sessions', () => {
  it('GET /api/auth/session answers 401 NOT_AUTHENTICATED without a cookie, or with one never issued', async () => {
    expectFailure(await server.api().get('/api/auth/session'), 401, 'NOT_AUTHENTICATED');
    const forged = await server.api().get('/api/auth/session', sessionHeaders('A'.repeat(43), 'x'));
    expectFailure(forged, 401, 'NOT_AUTHENTICATED');
  });

  it('stores only the SHA-256 of the cookie’s token', async () => {
    const rows = await server.services.db.selectFrom('sessions').select('token_hash').execute();

    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.token_hash).not.toContain(owner.session.token);
    }
  });

  it('lasts 7 days: works just before, then answers 401 (NOT_AUTHENTICATED here, INVALID_API_KEY on /api/v1)', async () => {
    const session = await server.signIn(owner.userId, owner.workspaceId);
    const api = server.sessionApi(session);
    try {
      clockOffsetMs = 7 * DAY_MS - 60_000;
      expect((await api.get('/api/auth/session')).status).toBe(200);
      expect((await api.get('/api/v1/workspace')).status).toBe(200);

      clockOffsetMs = 7 * DAY_MS + 1000;
      expectFailure(await api.get('/api/auth/session'), 401, 'NOT_AUTHENTICATED');
      expectFailure(await api.get('/api/v1/workspace'), 401, 'INVALID_API_KEY');
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('POST /api/auth/logout ends the session, deletes it and clears the cookie', async () => {
    const login = await server
      .api()
      .post('/api/auth/login', { email: OWNER.email, password: OWNER.password });
    const session = sessionOf(login);

    const response = await server.api().post('/api/auth/logout', undefined, session.headers);

    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ success: true, data: { loggedOut: true } });
    const cleared = readSessionCookie(response);
    expect(cleared?.value).toBe('');
    expect(cleared?.header).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/i);
    expectFailure(await server.sessionApi(session).get('/api/auth/session'), 401, 'NOT_AUTHENTICATED');
    expectFailure(await server.sessionApi(session).get('/api/v1/workspace'), 401, 'INVALID_API_KEY');
  });

  it('refuses to sign out without the session’s CSRF token (403), and the session goes on', async () => {
    const session = await server.signIn(owner.userId, owner.workspaceId);

    const refused = await server
      .api()
      .post('/api/auth/logout', undefined, { cookie: session.headers.cookie ?? '' });

    expectFailure(refused, 403, 'CSRF_TOKEN_INVALID');
    expect((await server.sessionApi(session).get('/api/auth/session')).status).toBe(200);
  });

  it('signs out without a session too: 200, the cookie cleared', async () => {
    const response = await server.api().post('/api/auth/logout');

    expect(response.status).toBe(200);
    expect(readSessionCookie(response)?.value).toBe('');
  });
});

describe('the session cookie on /api/v1', () => {
  it('reads with GET without a CSRF token, and changes (POST, PATCH, DELETE) only with the session’s own', async () => {
    const cookieOnly = { cookie: owner.session.headers.cookie ?? '' };
    const client = server.api(undefined);

    expect((await client.get('/api/v1/chatbots', cookieOnly)).status).toBe(200);
    expectFailure(
      await client.post('/api/v1/chatbots', { name: 'No token' }, cookieOnly),
      403,
      'CSRF_TOKEN_INVALID',
    );
    const created = await client.post('/api/v1/chatbots', { name: 'With token' }, owner.session.headers);
    expect(created.status, created.text).toBe(201);
    const botPath = `/api/v1/chatbots/${created.body.data.id}`;
    expectFailure(await client.patch(botPath, { name: 'Renamed' }, cookieOnly), 403, 'CSRF_TOKEN_INVALID');
    expect((await client.patch(botPath, { name: 'Renamed' }, owner.session.headers)).status).toBe(200);
    expectFailure(await client.delete(botPath, cookieOnly), 403, 'CSRF_TOKEN_INVALID');
    expect((await client.get(botPath, cookieOnly)).body.data.name).toBe('Renamed');
    expect((await client.delete(botPath, owner.session.headers)).status).toBe(200);
  });

  it('needs no CSRF token with an API key, which no browser sends by itself', async () => {
    const { apiKey } = await server.createWorkspace();

    const response = await server.api(apiKey).post('/api/v1/chatbots', { name: 'Keyed bot' });

    expect(response.status, response.text).toBe(201);
  });

  it('keeps a member inside their workspace: another workspace’s chatbot is 404 CHATBOT_NOT_FOUND', async () => {
    const other = await server.createWorkspace(100, 'Elsewhere');
    const foreignBot = await server.createChatbot(other.apiKey, { name: 'Foreign bot' });
    const member = await server.createUser(owner.workspaceId, 'member');
    const client = server.sessionApi(await server.signIn(member.userId, owner.workspaceId));

    expectFailure(await client.get(`/api/v1/chatbots/${foreignBot.id}`), 404, 'CHATBOT_NOT_FOUND');
    expectFailure(
      await client.post(`/api/v1/chatbots/${foreignBot.id}/chat`, { message: 'Hi' }),
      404,
      'CHATBOT_NOT_FOUND',
    );
    expectFailure(
      await client.get(`/api/v1/chatbots/${foreignBot.id}/conversations`),
      404,
      'CHATBOT_NOT_FOUND',
    );
    const own = await client.post('/api/v1/chatbots', { name: 'Own bot' });
    expect(own.status, own.text).toBe(201);
    const chat = await client.post(`/api/v1/chatbots/${own.body.data.id}/chat`, { message: 'Hi' });
    expect(chat.status, chat.text).toBe(200);
  });
});
