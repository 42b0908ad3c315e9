import type { Kysely } from 'kysely';
import type { Database, WorkspaceRole } from '../../db/database.ts';
import {
  deleteExpiredSessions,
  deleteSessionByTokenHash,
  findActiveSession,
  insertSession,
} from '../../db/sessions.repository.ts';
import { findUser } from '../../db/users.repository.ts';
import { findWorkspace } from '../../db/workspaces.repository.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import { generateSecretToken, hashSecretToken, isWellFormedSecretToken } from './secret-token.ts';

export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** What a client receives when a session starts: the cookie's token (shown once) and the CSRF token. */
export type SessionGrant = { token: string; csrfToken: string; expiresAt: Date };

/** Someone just signed in: who, where, as what, and the session they hold. */
export type SignedIn = { userId: string; workspaceId: string; role: WorkspaceRole; grant: SessionGrant };

export type SessionPrincipal = {
  userId: string;
  workspaceId: string;
  role: WorkspaceRole;
  csrfToken: string;
};

type Deps = { db: Kysely<Database>; clock: Clock; ids: IdGenerator };

/** Starts a session (in the caller's transaction, when given one); only the token's hash is stored. */
export async function startSession(
  deps: Deps,
  db: Kysely<Database>,
  member: { userId: string; workspaceId: string },
): Promise<SessionGrant> {
  const now = deps.clock.now();
  const grant = {
    token: generateSecretToken(),
    csrfToken: generateSecretToken(),
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  };
  // Sessions that ended on their own are removed as new ones begin, so the table stays small.
  await deleteExpiredSessions(db, now.toISOString());
  await insertSession(db, {
    id: deps.ids(),
    token_hash: hashSecretToken(grant.token),
    user_id: member.userId,
    workspace_id: member.workspaceId,
    csrf_token: grant.csrfToken,
    created_at: now.toISOString(),
    expires_at: grant.expiresAt.toISOString(),
  });
  return grant;
}

/** The session behind a cookie's token; undefined when unknown, expired, ended, or its membership is gone. */
export async function authenticateSession(
  deps: Pick<Deps, 'db' | 'clock'>,
  token: string | undefined,
): Promise<SessionPrincipal | undefined> {
  if (!token || !isWellFormedSecretToken(token)) return undefined;
  const session = await findActiveSession(deps.db, hashSecretToken(token), deps.clock.now().toISOString());
  if (!session) return undefined;
  return {
    userId: session.user_id,
    workspaceId: session.workspace_id,
    role: session.role,
    csrfToken: session.csrf_token,
  };
}

export async function endSession(deps: Pick<Deps, 'db'>, token: string): Promise<void> {
  if (isWellFormedSecretToken(token)) await deleteSessionByTokenHash(deps.db, hashSecretToken(token));
}

/** The dashboard's view of a session: the person, the workspace, the role and the CSRF token. */
export async function describeSession(
  db: Kysely<Database>,
  session: { userId: string; workspaceId: string; role: WorkspaceRole; csrfToken: string },
) {
  const [user, workspace] = await Promise.all([
    findUser(db, session.userId),
    findWorkspace(db, session.workspaceId),
  ]);
  if (!user || !workspace) return undefined;
  return {
    user: { id: user.id, email: user.email, name: user.name },
    workspace: { id: workspace.id, name: workspace.name, credits: workspace.credits },
    role: session.role,
    csrfToken: session.csrfToken,
  };
}
