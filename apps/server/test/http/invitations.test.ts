import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure } from '../helpers/expect-failure.ts';
import {
  apiClient,
  sessionOf,
  startTestServer,
  type TestServer,
  type TestSession,
} from '../helpers/test-server.ts';

// Invitations as the owner manages them (list, revoke), the operator's invitation of a first owner, what an
// invitation may tell about passwords, and what a removed member keeps. Behind one trusted proxy, each test
// signs in from its own address, so the per-IP sign-in counts of one test never touch another.
const ADMIN_TOKEN = 'operator-token-for-invitation-tests';

let server: TestServer;
let admin: ReturnType<typeof apiClient>;
let team: { workspaceId: string; apiKey: string; owner: { userId: string; email: string; password: string } };
let ownerSession: TestSession;
let nextAddress = 1;
const freshIp = () => ({ 'x-forwarded-for': `198.18.0.${nextAddress++}` });

async function invite(session: TestSession, email: string, role: 'admin' | 'member' = 'member') {
  const response = await server.sessionApi(session).post('/api/v1/invitations', { email, role });
  expect(response.status, response.text).toBe(201);
  return response.body.data as { id: string; token: string; createdBy: string | null };
}

const accept = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  server.api().post('/api/auth/invitations/accept', body, headers);

beforeAll(async () => {
  server = await startTestServer({ POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN, TRUST_PROXY: '1' });
  admin = apiClient(server.baseUrl, ADMIN_TOKEN);
  const { workspaceId, apiKey } = await server.createWorkspace(100, 'Team');
  const owner = await server.createUser(workspaceId, 'owner');
  team = { workspaceId, apiKey, owner };
  ownerSession = await server.signIn(owner.userId, workspaceId);
});

afterAll(async () => {
  await server.close();
});

describe('the operator’s invitation of a first owner', () => {
  it('invites the owner of a workspace the operator API made: its link makes the first owner', async () => {
    const made = await admin.post('/api/admin/workspaces', { name: 'Customer', credits: 10 });
    expect(made.status, made.text).toBe(201);
    const workspaceId = made.body.data.workspace.id;

    const invited = await admin.post(`/api/admin/workspaces/${workspaceId}/invitations`, {
      email: 'First.Owner@Example.com',
    });

    expect(invited.status, invited.text).toBe(201);
    expect(invited.body.data).toEqual({
      id: expect.any(String),
      email: 'first.owner@example.com',
      role: 'owner',
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      acceptPath: `/#/accept?token=${invited.body.data.token}`,
      createdBy: null,
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    const token = new URLSearchParams(invited.body.data.acceptPath.split('?')[1]).get('token');
    const accepted = await accept({ token, name: 'First Owner', password: 'first-owner-password' });
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.body.data).toMatchObject({
      user: { email: 'first.owner@example.com' },
      workspace: { id: workspaceId, name: 'Customer' },
      role: 'owner',
    });
    const members = await server.sessionApi(sessionOf(accepted)).get('/api/v1/members');
    expect(members.body.data).toEqual([
      expect.objectContaining({ email: 'first.owner@example.com', role: 'owner' }),
    ]);

    // One owner: no second owner invitation, and one issued before is refused once the owner exists.
    expectFailure(
      await admin.post(`/api/admin/workspaces/${workspaceId}/invitations`, { email: 'second@example.com' }),
      409,
      'WORKSPACE_HAS_OWNER',
    );
  });

  it('lets only one of two first-owner invitations make an owner: the other link stops working and is no longer pending', async () => {
    const made = await admin.post('/api/admin/workspaces', { name: 'Contested' });
    const workspaceId = made.body.data.workspace.id;
    const first = await admin.post(`/api/admin/workspaces/${workspaceId}/invitations`, {
      email: 'a@example.com',
    });
    const second = await admin.post(`/api/admin/workspaces/${workspaceId}/invitations`, {
      email: 'b@example.com',
    });

    const accepted = await accept({ token: first.body.data.token, name: 'A', password: 'a-password-1234' });
    const refused = await accept({ token: second.body.data.token, name: 'B', password: 'b-password-1234' });

    expect(accepted.status, accepted.text).toBe(201);
    expectFailure(refused, 404, 'INVITATION_NOT_FOUND');
    const pending = await server.sessionApi(sessionOf(accepted)).get('/api/v1/invitations');
    expect(pending.status, pending.text).toBe(200);
    expect(pending.body.data).toEqual([]);
    const users = await server.services.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'b@example.com')
      .execute();
    expect(users).toEqual([]);
  });

  it('answers 404 WORKSPACE_NOT_FOUND for an unknown workspace, even one no id can be', async () => {
    for (const id of ['no-such-workspace', 'x'.repeat(65), 'not%20an%20id']) {
      expectFailure(
        await admin.post(`/api/admin/workspaces/${id}/invitations`, { email: 'x@example.com' }),
        404,
        'WORKSPACE_NOT_FOUND',
      );
    }
  });
});

describe('accepting an invitation for an address that has an account', () => {
  /** Someone with an account in their own workspace, invited to the team, and signed in as themselves. */
  async function invitedAccountHolder() {
    const home = await server.createWorkspace(10, 'Home');
    const person = await server.createUser(home.workspaceId, 'owner');
    const session = await server.signIn(person.userId, home.workspaceId);
    const invitation = await invite(ownerSession, person.email);
    return { person, session, invitation };
  }

  it('voids the invitation after 5 wrong passwords, even if the right one follows', async () => {
    const { person, session, invitation } = await invitedAccountHolder();
    const ip = freshIp();
    for (let attempt = 1; attempt <= 5; attempt++)
      expectFailure(
        await accept(
          { token: invitation.token, password: `wrong-password-${attempt}` },
          { ...session.headers, ...ip },
        ),
        401,
        'INVALID_CREDENTIALS',
      );

    const late = await accept(
      { token: invitation.token, password: person.password },
      { ...session.headers, ...ip },
    );

    expectFailure(late, 404, 'INVITATION_NOT_FOUND');
    const membership = await server.services.db
      .selectFrom('memberships')
      .selectAll()
      .where('workspace_id', '=', team.workspaceId)
      .where('user_id', '=', person.userId)
      .executeTakeFirst();
    expect(membership).toBeUndefined();
  });

  it('counts wrong passwords as failed sign-ins: after 5, signing in with the right one must wait (429)', async () => {
    const { person, session, invitation } = await invitedAccountHolder();
    for (let attempt = 1; attempt <= 5; attempt++)
      await accept(
        { token: invitation.token, password: `wrong-password-${attempt}` },
        { ...session.headers, ...freshIp() },
      );

    const login = await server
      .api()
      .post('/api/auth/login', { email: person.email, password: person.password }, freshIp());

    expectFailure(login, 429, 'RATE_LIMIT_EXCEEDED');
    expect(login.headers.get('retry-after')).toBe(String(login.body.retryAfter));
  });

  it('answers anonymous attempts 401 SIGN_IN_REQUIRED before any password check: nothing counted, the invitation intact', async () => {
    const { person, session, invitation } = await invitedAccountHolder();
    const ip = freshIp();
    const answers = new Set<string>();
    for (let attempt = 1; attempt <= 7; attempt++) {
      const response = await accept({ token: invitation.token, password: `guess-number-${attempt}` }, ip);
      expectFailure(response, 401, 'SIGN_IN_REQUIRED');
      answers.add(response.text);
    }
    answers.add((await accept({ token: invitation.token, password: person.password }, ip)).text);

    expect(answers.size).toBe(1);
    const login = await server
      .api()
      .post('/api/auth/login', { email: person.email, password: person.password }, ip);
    expect(login.status, login.text).toBe(200);
    const accepted = await accept({ token: invitation.token, password: person.password }, session.headers);
    expect(accepted.status, accepted.text).toBe(201);
  });

  it('still creates an account for a new address without any session (name required)', async () => {
    const invitation = await invite(ownerSession, 'brand.new@example.com');

    expectFailure(
      await accept({ token: invitation.token, password: 'brand-new-password' }),
      400,
      'VALIDATION_ERROR',
    );
    const created = await accept({
      token: invitation.token,
      name: 'Brand New',
      password: 'brand-new-password',
    });

    expect(created.status, created.text).toBe(201);
  });
});

describe('GET and DELETE /api/v1/invitations', () => {
  it('lists pending invitations newest first, with who invited and no token; accepted ones are gone', async () => {
    const adminPerson = await server.createUser(team.workspaceId, 'admin');
    const adminSession = await server.signIn(adminPerson.userId, team.workspaceId);
    const byOwner = await invite(ownerSession, 'listed.one@example.com');
    const byAdmin = await invite(adminSession, 'listed.two@example.com', 'admin');
    const accepted = await invite(ownerSession, 'listed.accepted@example.com');
    await accept({ token: accepted.token, name: 'Accepted', password: 'accepted-password' });

    const response = await server.sessionApi(adminSession).get('/api/v1/invitations?limit=100');

    expect(response.status, response.text).toBe(200);
    const ids = response.body.data.map((invitation: { id: string }) => invitation.id);
    expect(ids).toContain(byOwner.id);
    expect(ids).not.toContain(accepted.id);
    expect(ids.indexOf(byAdmin.id)).toBeLessThan(ids.indexOf(byOwner.id));
    expect(response.body.data).toContainEqual({
      id: byAdmin.id,
      email: 'listed.two@example.com',
      role: 'admin',
      createdBy: adminPerson.userId,
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    expect(response.text).not.toContain(byOwner.token);
  });

  it('revokes a pending invitation: its link stops working, and a second revoke is 404', async () => {
    const invitation = await invite(ownerSession, 'revoked@example.com');
    const client = server.sessionApi(ownerSession);

    const revoked = await client.delete(`/api/v1/invitations/${invitation.id}`);

    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body).toEqual({ success: true, data: { id: invitation.id, revoked: true } });
    expectFailure(
      await accept({ token: invitation.token, name: 'Too Late', password: 'too-late-password' }),
      404,
      'INVITATION_NOT_FOUND',
    );
    expectFailure(await client.delete(`/api/v1/invitations/${invitation.id}`), 404, 'INVITATION_NOT_FOUND');
  });

  it('refuses members (403) and answers 404 for another workspace’s invitation, which stays usable', async () => {
    const other = await server.createWorkspace(10, 'Other');
    const otherOwner = await server.createUser(other.workspaceId, 'owner');
    const foreign = await invite(
      await server.signIn(otherOwner.userId, other.workspaceId),
      'foreign@example.com',
    );
    const member = await server.createUser(team.workspaceId, 'member');
    const memberApi = server.sessionApi(await server.signIn(member.userId, team.workspaceId));

    expectFailure(await memberApi.get('/api/v1/invitations'), 403, 'FORBIDDEN');
    expectFailure(await memberApi.delete(`/api/v1/invitations/${foreign.id}`), 403, 'FORBIDDEN');
    expectFailure(await server.api(team.apiKey).get('/api/v1/invitations'), 403, 'FORBIDDEN');
    expectFailure(
      await server.sessionApi(ownerSession).delete(`/api/v1/invitations/${foreign.id}`),
      404,
      'INVITATION_NOT_FOUND',
    );
    const used = await accept({ token: foreign.token, name: 'Foreign', password: 'foreign-password' });
    expect(used.status, used.text).toBe(201);
  });
});

describe('removing a member', () => {
  /** An admin of the team who made an API key (signed in) and invited someone. */
  async function adminWithKeyAndInvitation(label: string) {
    const person = await server.createUser(team.workspaceId, 'admin');
    const session = await server.signIn(person.userId, team.workspaceId);
    const key = await server.sessionApi(session).post('/api/v1/api-keys', { name: `${label} key` });
    expect(key.status, key.text).toBe(201);
    expect(key.body.data.createdBy).toBe(person.userId);
    const invitation = await invite(session, `${label}.invitee@example.com`);
    expect(invitation.createdBy).toBe(person.userId);
    return { person, key: key.body.data.key as string, keyId: key.body.data.id as string, invitation };
  }

  it('revokes the API keys they created (401 after) and the invitations they issued, by default', async () => {
    const { person, key, keyId, invitation } = await adminWithKeyAndInvitation('leaving');
    expect((await server.api(key).get('/api/v1/chatbots')).status).toBe(200);
    const listed = await server.api(team.apiKey).get('/api/v1/api-keys?limit=100');
    expect(listed.body.data).toContainEqual(expect.objectContaining({ id: keyId, createdBy: person.userId }));

    const removal = await server.sessionApi(ownerSession).delete(`/api/v1/members/${person.userId}`);

    expect(removal.status, removal.text).toBe(200);
    expect(removal.body.data).toEqual({
      id: person.userId,
      removed: true,
      revokedApiKeys: 1,
      revokedInvitations: 1,
    });
    expectFailure(await server.api(key).get('/api/v1/chatbots'), 401, 'INVALID_API_KEY');
    expectFailure(
      await accept({ token: invitation.token, name: 'Invitee', password: 'invitee-password' }),
      404,
      'INVITATION_NOT_FOUND',
    );
    // The workspace's other keys are untouched.
    expect((await server.api(team.apiKey).get('/api/v1/chatbots')).status).toBe(200);
  });

  it('keeps their API keys with revokeApiKeys=false; their invitations go all the same', async () => {
    const { person, key, invitation } = await adminWithKeyAndInvitation('keeping');

    const removal = await server
      .sessionApi(ownerSession)
      .delete(`/api/v1/members/${person.userId}?revokeApiKeys=false`);

    expect(removal.status, removal.text).toBe(200);
    expect(removal.body.data).toMatchObject({ revokedApiKeys: 0, revokedInvitations: 1 });
    expect((await server.api(key).get('/api/v1/chatbots')).status).toBe(200);
    expectFailure(
      await accept({ token: invitation.token, name: 'Invitee', password: 'invitee-password' }),
      404,
      'INVITATION_NOT_FOUND',
    );
  });

  it('answers 400 VALIDATION_ERROR to a revokeApiKeys that is not true or false', async () => {
    const member = await server.createUser(team.workspaceId, 'member');
    expectFailure(
      await server.sessionApi(ownerSession).delete(`/api/v1/members/${member.userId}?revokeApiKeys=maybe`),
      400,
      'VALIDATION_ERROR',
    );
  });

  it('records no creator for keys made with an API key or by the operator API', async () => {
    const made = await server.api(team.apiKey).post('/api/v1/api-keys', { name: 'made by a key' });
    expect(made.status, made.text).toBe(201);
    expect(made.body.data.createdBy).toBeNull();
  });
});
