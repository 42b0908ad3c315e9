import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSessionCookie, startTestServer, type TestServer } from '../helpers/test-server.ts';

// Over HTTPS the session cookie is `__Host-pollybot_session`: Secure, Path=/, no Domain, so no subdomain or
// plain-HTTP page can plant one; the server reads only that name there. Over plain HTTP it stays
// `pollybot_session`, so `npm start` on localhost keeps working.

let server: TestServer;
let credentials: { email: string; password: string };
const HTTPS = { 'x-forwarded-proto': 'https' };

beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: '1' });
  const { workspaceId } = await server.createWorkspace();
  const person = await server.createUser(workspaceId, 'owner');
  credentials = { email: person.email, password: person.password };
});

afterAll(async () => {
  await server.close();
});

describe('the session cookie', () => {
  it('is __Host-pollybot_session over HTTPS: Secure, HttpOnly, Path=/, no Domain; and it signs the person in', async () => {
    const login = await server.api().post('/api/auth/login', credentials, HTTPS);

    expect(login.status, login.text).toBe(200);
    const cookie = readSessionCookie(login);
    expect(cookie?.name).toBe('__Host-pollybot_session');
    expect(cookie?.attributes).toEqual(
      expect.arrayContaining(['secure', 'httponly', 'path=/', 'samesite=lax']),
    );
    expect(cookie?.attributes.some((attribute) => attribute.startsWith('domain'))).toBe(false);

    const session = await server
      .api()
      .get('/api/auth/session', { ...HTTPS, cookie: `__Host-pollybot_session=${cookie?.value}` });
    expect(session.status, session.text).toBe(200);
    const workspace = await server
      .api()
      .get('/api/v1/workspace', { ...HTTPS, cookie: `__Host-pollybot_session=${cookie?.value}` });
    expect(workspace.status, workspace.text).toBe(200);
  });

  it('is not read under its plain name over HTTPS, where anyone on a sibling host could have set it', async () => {
    const login = await server.api().post('/api/auth/login', credentials, HTTPS);
    const token = readSessionCookie(login)?.value;

    const planted = await server
      .api()
      .get('/api/v1/workspace', { ...HTTPS, cookie: `pollybot_session=${token}` });

    expect(planted.status).toBe(401);
  });

  it('keeps the plain name over HTTP, without Secure', async () => {
    const login = await server.api().post('/api/auth/login', credentials);

    const cookie = readSessionCookie(login);
    expect(cookie?.name).toBe('pollybot_session');
    expect(cookie?.attributes).not.toContain('secure');
    const workspace = await server
      .api()
      .get('/api/v1/workspace', { cookie: `pollybot_session=${cookie?.value}` });
    expect(workspace.status, workspace.text).toBe(200);
  });

  it('is cleared under its own name on sign-out over HTTPS', async () => {
    const login = await server.api().post('/api/auth/login', credentials, HTTPS);
    const cookie = readSessionCookie(login);
    const headers = {
      ...HTTPS,
      cookie: `__Host-pollybot_session=${cookie?.value}`,
      'x-csrf-token': login.body.data.csrfToken,
    };

    const logout = await server.api().post('/api/auth/logout', undefined, headers);

    expect(logout.status, logout.text).toBeLessThan(300);
    const cleared = readSessionCookie(logout);
    expect(cleared?.name).toBe('__Host-pollybot_session');
    expect(cleared?.attributes).toEqual(expect.arrayContaining(['secure', 'path=/']));
    expect((await server.api().get('/api/v1/workspace', headers)).status).toBe(401);
  });
});
