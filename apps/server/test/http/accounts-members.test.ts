import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure } from '../helpers/expect-failure.ts';
import { sessionOf, startTestServer, type TestServer, type TestSession } from '../helpers/test-server.ts';

// Invitations and members (accounts.test.ts covers setup, sign-in and sessions). Time moves only when a
// test says so: invitations expire by the server's clock, not by sleeping.
let clockOffsetMs = 0;
const clock = { now: () => new Date(Date.now() + clockOffsetMs) };
const DAY_MS = 24 * 60 * 60 * 1000;

const OWNER = { email: 'Olive.Owner@Example.com', name: 'Olive Owner', password: 'olive-password-1' };

let server: TestServer;
/** The owner set up through POST /api/auth/setup. */
let owner: { userId: string; workspaceId: string; session: TestSession };

/** Invites someone through the API as the given session and answers the invitation. */
async function invite(session: TestSession, email: string, role: 'admin' | 'member' = 'member') {
  const response = await server.sessionApi(session).post('/api/v1/invitations', { email, role });
  expect(response.status, response.text).toBe(201);
  return response.body.data as { id: string; email: string; role: string; token: string; expiresAt: string };
}

beforeAll(async () => {
  server = await startTestServer({}, { clock });
  const { workspaceId } = await server.createWorkspace(500, 'First workspace', 'demo');
  const setupToken = await server.issueSetupToken();
  const response = await server.api().post('/api/auth/setup', { ...OWNER, setupToken });
  expect(response.status, response.text).toBe(201);
  owner = { userId: response.body.data.user.id, workspaceId, session: sessionOf(response) };
});

afterAll(async () => {
  await server.close();
});

describe('invitations', () => {
  it('lets the owner invite: 201 with the token shown once, valid 7 days; only its hash is stored', async () => {
    const invitation = await invite(owner.session, 'New.Person@Example.com', 'admin');

    expect(invitation).toEqual({
      id: expect.any(String),
      email: 'new.person@example.com',
      role: 'admin',
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      createdBy: owner.userId,
      createdAt: expect.any(String),
      expiresAt: new Date(Date.parse(invitation.expiresAt)).toISOString(),
    });
    expect(Date.parse(invitation.expiresAt) - Date.now()).toBeGreaterThan(7 * DAY_MS - 60_000);
    expect(Date.parse(invitation.expiresAt) - Date.now()).toBeLessThanOrEqual(7 * DAY_MS);
    const stored = await server.services.db
      .selectFrom('invitations')
      .selectAll()
      .where('id', '=', invitation.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(invitation.token);
  });

  it('lets an admin invite, and refuses a member and an API key with 403 FORBIDDEN', async () => {
    const admin = await server.createUser(owner.workspaceId, 'admin');
    const member = await server.createUser(owner.workspaceId, 'member');
    const { apiKey } = await server.createWorkspace();
    const body = { email: 'someone@example.com', role: 'member' };

    await invite(await server.signIn(admin.userId, owner.workspaceId), 'by-admin@example.com');
    const byMember = await server
      .sessionApi(await server.signIn(member.userId, owner.workspaceId))
      .post('/api/v1/invitations', body);
    const byKey = await server.api(apiKey).post('/api/v1/invitations', body);

    expectFailure(byMember, 403, 'FORBIDDEN');
    expectFailure(byKey, 403, 'FORBIDDEN');
  });

  it('accepting creates the account and membership with the invited role and signs in (201, cookie)', async () => {
    const invitation = await invite(owner.session, 'joiner@example.com', 'member');

    const response = await server.api().post('/api/auth/invitations/accept', {
      token: invitation.token,
      name: 'Jo Iner',
      password: 'joiner-password',
    });

    expect(response.status, response.text).toBe(201);
    expect(response.body.data).toMatchObject({
      user: { email: 'joiner@example.com', name: 'Jo Iner' },
      workspace: { id: owner.workspaceId },
      role: 'member',
    });
    const session = sessionOf(response);
    expect((await server.sessionApi(session).get('/api/v1/workspace')).body.data.id).toBe(owner.workspaceId);
    const members = await server.sessionApi(owner.session).get('/api/v1/members');
    expect(members.body.data).toContainEqual({
      userId: response.body.data.user.id,
      email: 'joiner@example.com',
      name: 'Jo Iner',
      role: 'member',
      joinedAt: expect.any(String),
    });
    const login = await server
      .api()
      .post('/api/auth/login', { email: 'joiner@example.com', password: 'joiner-password' });
    expect(login.status).toBe(200);
  });

  it('answers 404 INVITATION_NOT_FOUND to a used token, an unknown one and an expired one', async () => {
    const used = await invite(owner.session, 'used@example.com');
    const accept = (token: string) =>
      server
        .api()
        .post('/api/auth/invitations/accept', { token, name: 'Someone', password: 'someone-password' });
    expect((await accept(used.token)).status).toBe(201);

    expectFailure(await accept(used.token), 404, 'INVITATION_NOT_FOUND');
    expectFailure(await accept('A'.repeat(43)), 404, 'INVITATION_NOT_FOUND');

    const expiring = await invite(owner.session, 'late@example.com');
    try {
      clockOffsetMs = 7 * DAY_MS + 1000;
      expectFailure(await accept(expiring.token), 404, 'INVITATION_NOT_FOUND');
    } finally {
      clockOffsetMs = 0;
    }
    const late = await server.services.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'late@example.com')
      .executeTakeFirst();
    expect(late).toBeUndefined();
  });

  it('lets someone with an account join a second workspace only while signed in as it, confirming its password', async () => {
    const second = await server.createWorkspace(10, 'Another team');
    const otherOwner = await server.createUser(second.workspaceId, 'owner');
    const otherSession = await server.signIn(otherOwner.userId, second.workspaceId);
    const invitation = await invite(otherSession, OWNER.email, 'admin');
    const accept = (password: string, headers: Record<string, string> = {}) =>
      server
        .api()
        .post(
          '/api/auth/invitations/accept',
          { token: invitation.token, name: 'Renamed?', password },
          headers,
        );

    // Anonymous: the same answer whatever the password, before any password is checked.
    const wrongAnonymous = await accept('not-olives-password');
    const rightAnonymous = await accept(OWNER.password);
    expectFailure(wrongAnonymous, 401, 'SIGN_IN_REQUIRED');
    expect(rightAnonymous.text).toBe(wrongAnonymous.text);
    // Signed in as someone else: the same.
    expectFailure(await accept(OWNER.password, otherSession.headers), 401, 'SIGN_IN_REQUIRED');
    // Signed in as the account, but without the session's CSRF token: the session does not count.
    const olive = await server.signIn(owner.userId, owner.workspaceId);
    expectFailure(
      await accept(OWNER.password, { cookie: olive.headers.cookie ?? '' }),
      401,
      'SIGN_IN_REQUIRED',
    );

    expectFailure(await accept('not-olives-password', olive.headers), 401, 'INVALID_CREDENTIALS');
    const accepted = await accept(OWNER.password, olive.headers);

    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.body.data).toMatchObject({
      user: { id: owner.userId, name: 'Olive Owner' },
      workspace: { id: second.workspaceId },
      role: 'admin',
    });
    // Signing in still leads to the workspace joined first.
    const login = await server
      .api()
      .post('/api/auth/login', { email: OWNER.email, password: OWNER.password });
    expect(login.body.data.workspace.id).toBe(owner.workspaceId);
  });

  it('refuses to invite someone who is already a member (400)', async () => {
    const response = await server
      .sessionApi(owner.session)
      .post('/api/v1/invitations', { email: OWNER.email, role: 'member' });

    expectFailure(response, 400, 'VALIDATION_ERROR');
    expect(response.body.details).toEqual([{ path: 'body.email', message: expect.any(String) }]);
  });
});

describe('members', () => {
  it('lists the workspace’s people, the owner first, to every role, and refuses API keys (403)', async () => {
    const member = await server.createUser(owner.workspaceId, 'member', { email: 'listed@example.com' });
    const { apiKey } = await server.createWorkspace();

    const asMember = await server
      .sessionApi(await server.signIn(member.userId, owner.workspaceId))
      .get('/api/v1/members');

    expect(asMember.status, asMember.text).toBe(200);
    expect(asMember.body.nextCursor).toBeNull();
    expect(asMember.body.data[0]).toEqual({
      userId: owner.userId,
      email: 'olive.owner@example.com',
      name: 'Olive Owner',
      role: 'owner',
      joinedAt: expect.any(String),
    });
    expect(asMember.body.data).toContainEqual(
      expect.objectContaining({ userId: member.userId, role: 'member' }),
    );
    expectFailure(await server.api(apiKey).get('/api/v1/members'), 403, 'FORBIDDEN');
  });

  it('lets an admin remove a member: their sessions end at once and their account, in no workspace now, is gone', async () => {
    const admin = await server.createUser(owner.workspaceId, 'admin');
    const leaver = await server.createUser(owner.workspaceId, 'member');
    const leaverSession = await server.signIn(leaver.userId, owner.workspaceId);
    const adminApi = server.sessionApi(await server.signIn(admin.userId, owner.workspaceId));

    const response = await adminApi.delete(`/api/v1/members/${leaver.userId}`);

    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({
      success: true,
      data: { id: leaver.userId, removed: true, revokedApiKeys: 0, revokedInvitations: 0 },
    });
    expectFailure(await server.sessionApi(leaverSession).get('/api/v1/workspace'), 401, 'INVALID_API_KEY');
    const login = await server
      .api()
      .post('/api/auth/login', { email: leaver.email, password: leaver.password });
    expectFailure(login, 401, 'INVALID_CREDENTIALS');
    const members = await adminApi.get('/api/v1/members');
    expect(members.body.data.map((person: { userId: string }) => person.userId)).not.toContain(leaver.userId);
    expectFailure(await adminApi.delete(`/api/v1/members/${leaver.userId}`), 404, 'MEMBER_NOT_FOUND');
  });

  it('never removes the owner (403 FORBIDDEN), whoever asks', async () => {
    const admin = await server.createUser(owner.workspaceId, 'admin');
    const adminApi = server.sessionApi(await server.signIn(admin.userId, owner.workspaceId));

    expectFailure(await adminApi.delete(`/api/v1/members/${owner.userId}`), 403, 'FORBIDDEN');
    expectFailure(
      await server.sessionApi(owner.session).delete(`/api/v1/members/${owner.userId}`),
      403,
      'FORBIDDEN',
    );
    expect((await server.sessionApi(owner.session).get('/api/auth/session')).status).toBe(200);
  });

  it('refuses a member who tries to remove someone (403), and answers 404 for people of another workspace', async () => {
    const member = await server.createUser(owner.workspaceId, 'member');
    const colleague = await server.createUser(owner.workspaceId, 'member');
    const other = await server.createWorkspace(10, 'Other team');
    const stranger = await server.createUser(other.workspaceId, 'member');

    const byMember = await server
      .sessionApi(await server.signIn(member.userId, owner.workspaceId))
      .delete(`/api/v1/members/${colleague.userId}`);
    const foreign = await server.sessionApi(owner.session).delete(`/api/v1/members/${stranger.userId}`);

    expectFailure(byMember, 403, 'FORBIDDEN');
    expectFailure(foreign, 404, 'MEMBER_NOT_FOUND');
    const strangerStill = await server
      .api()
      .post('/api/auth/login', { email: stranger.email, password: stranger.password });
    expect(strangerStill.status).toBe(200);
  });
});
