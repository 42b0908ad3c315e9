import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure } from '../helpers/expect-failure.ts';
import { apiClient, sessionOf, startTestServer, type TestServer } from '../helpers/test-server.ts';

const ADMIN_TOKEN = 'operator-token-for-password-tests';
const PERSON = { email: 'pat.person@example.com', name: 'Pat Person', password: 'pat-first-password' };

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN });
  await server.createWorkspace(100, 'Pat’s workspace', 'demo');
  const setupToken = await server.issueSetupToken();
  const setup = await server.api().post('/api/auth/setup', { ...PERSON, setupToken });
  expect(setup.status, setup.text).toBe(201);
});

afterAll(async () => {
  await server.close();
});

async function signIn(password: string) {
  const response = await server.api().post('/api/auth/login', { email: PERSON.email, password });
  expect(response.status, response.text).toBe(200);
  return sessionOf(response);
}

async function isSignedIn(session: { headers: Record<string, string> }): Promise<boolean> {
  return (await server.api().get('/api/auth/session', session.headers)).status === 200;
}

describe('POST /api/auth/password', () => {
  it('changes the password with the current one, keeps this session and ends the others', async () => {
    const here = await signIn(PERSON.password);
    const elsewhere = await signIn(PERSON.password);

    const response = await server
      .api()
      .post(
        '/api/auth/password',
        { currentPassword: PERSON.password, newPassword: 'pat-second-password' },
        here.headers,
      );

    expect(response.status, response.text).toBe(200);
    expect(response.body.data.passwordChanged).toBe(true);
    expect(response.body.data.endedSessions).toBeGreaterThanOrEqual(1);
    expect(await isSignedIn(here)).toBe(true);
    expect(await isSignedIn(elsewhere)).toBe(false);
    expectFailure(
      await server.api().post('/api/auth/login', { email: PERSON.email, password: PERSON.password }),
      401,
      'INVALID_CREDENTIALS',
    );
    const again = await signIn('pat-second-password');
    // Back to the first password, so the other tests sign in with it.
    const back = await server
      .api()
      .post(
        '/api/auth/password',
        { currentPassword: 'pat-second-password', newPassword: PERSON.password },
        again.headers,
      );
    expect(back.status, back.text).toBe(200);
  });

  it('refuses a wrong current password with 400 on body.currentPassword, and changes nothing', async () => {
    const session = await signIn(PERSON.password);
    const response = await server
      .api()
      .post(
        '/api/auth/password',
        { currentPassword: 'not-the-password', newPassword: 'pat-other-password' },
        session.headers,
      );

    expectFailure(response, 400, 'VALIDATION_ERROR');
    expect(response.body.error).toContain('body.currentPassword');
    expect(await isSignedIn(session)).toBe(true);
    await signIn(PERSON.password);
  });

  it('refuses a short new password, a missing CSRF token and no session', async () => {
    const session = await signIn(PERSON.password);
    const short = await server
      .api()
      .post(
        '/api/auth/password',
        { currentPassword: PERSON.password, newPassword: 'short' },
        session.headers,
      );
    expectFailure(short, 400, 'VALIDATION_ERROR');
    expect(short.body.error).toContain('body.newPassword');

    const { 'x-csrf-token': _csrf, ...cookieOnly } = session.headers;
    const body = { currentPassword: PERSON.password, newPassword: 'pat-other-password' };
    expectFailure(await server.api().post('/api/auth/password', body, cookieOnly), 403, 'CSRF_TOKEN_INVALID');
    expectFailure(await server.api().post('/api/auth/password', body), 401, 'NOT_AUTHENTICATED');
    await signIn(PERSON.password);
  });
});

describe('POST /api/admin/users/password', () => {
  it('sets a person’s password and ends all their sessions', async () => {
    const session = await signIn(PERSON.password);
    const admin = apiClient(server.baseUrl, ADMIN_TOKEN);

    const response = await admin.post('/api/admin/users/password', {
      email: 'PAT.PERSON@example.com',
      password: 'pat-reset-password',
    });

    expect(response.status, response.text).toBe(200);
    expect(response.body.data.endedSessions).toBeGreaterThanOrEqual(1);
    expect(await isSignedIn(session)).toBe(false);
    await signIn('pat-reset-password');
    await admin.post('/api/admin/users/password', { email: PERSON.email, password: PERSON.password });
  });

  it('answers 404 USER_NOT_FOUND for an unknown address and 401 without the operator token', async () => {
    const body = { email: 'nobody@example.com', password: 'some-long-password' };
    expectFailure(
      await apiClient(server.baseUrl, ADMIN_TOKEN).post('/api/admin/users/password', body),
      404,
      'USER_NOT_FOUND',
    );
    expectFailure(
      await apiClient(server.baseUrl, 'wrong-token').post('/api/admin/users/password', body),
      401,
      'INVALID_ADMIN_TOKEN',
    );
  });
});

describe('POST /api/auth/invitations/preview', () => {
  it('names the workspace, address and role of a pending invitation, and 404 for an unknown token', async () => {
    const session = await signIn(PERSON.password);
    const invited = await server
      .api()
      .post('/api/v1/invitations', { email: 'Ivy@Example.com', role: 'admin' }, session.headers);
    expect(invited.status, invited.text).toBe(201);

    const preview = await server
      .api()
      .post('/api/auth/invitations/preview', { token: invited.body.data.token });

    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.data).toMatchObject({
      workspaceName: 'Pat’s workspace',
      email: 'ivy@example.com',
      role: 'admin',
    });
    expectFailure(
      await server.api().post('/api/auth/invitations/preview', { token: 'no-such-token' }),
      404,
      'INVITATION_NOT_FOUND',
    );
  });
});
