import {
  type AcceptInvitationRequest,
  authStateSchema,
  invitationPreviewSchema,
  type LoginRequest,
  loggedOutSchema,
  type PasswordChangeRequest,
  passwordChangedSchema,
  type SetupRequest,
  sessionSchema,
} from '@pollybot/contracts';
import { api } from './client.ts';
import type { AuthState, Session } from './types.ts';

// Signing in and out, through /api/auth (the cookie session; docs/auth.md).

/** The session of the cookie; 401 NOT_AUTHENTICATED when there is none. */
export function getSession(): Promise<Session> {
  return api('GET', '/api/auth/session', sessionSchema);
}

/** Whether the first account still has to be made. */
export function getAuthState(): Promise<AuthState> {
  return api('GET', '/api/auth/state', authStateSchema);
}

/** Creates the owner account with the setup token and signs it in. */
export function setUp(body: SetupRequest): Promise<Session> {
  return api('POST', '/api/auth/setup', sessionSchema, { body });
}

/** Signs in with email and password. */
export function logIn(body: LoginRequest): Promise<Session> {
  return api('POST', '/api/auth/login', sessionSchema, { body });
}

/** Ends the session. */
export async function logOut(): Promise<void> {
  await api('POST', '/api/auth/logout', loggedOutSchema);
}

/** Joins the invitation's workspace, with a new account or as the person signed in. */
export function acceptInvitation(body: AcceptInvitationRequest): Promise<Session> {
  return api('POST', '/api/auth/invitations/accept', sessionSchema, { body });
}

/** Changes the signed-in person's password; their other sessions end. Answers how many ended. */
export async function changePassword(body: PasswordChangeRequest): Promise<number> {
  return (await api('POST', '/api/auth/password', passwordChangedSchema, { body })).endedSessions;
}

/** What an invitation link offers: the workspace, the invited address and the role. */
export function previewInvitation(token: string, signal?: AbortSignal) {
  return api('POST', '/api/auth/invitations/preview', invitationPreviewSchema, { body: { token }, signal });
}
