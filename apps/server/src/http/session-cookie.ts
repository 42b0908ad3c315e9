import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import { secretsMatch } from '../features/accounts/secret-token.ts';
import {
  describeSession,
  endSession,
  SESSION_TTL_MS,
  type SessionGrant,
  type SignedIn,
} from '../features/accounts/sessions.ts';

/** The dashboard's session cookie: a random token whose SHA-256 is the session's key in the database. */
const SESSION_COOKIE = 'pollybot_session';
/**
 * Its name over HTTPS. Browsers accept a `__Host-` cookie only when it is Secure, has Path=/ and no Domain,
 * so no sibling subdomain or plain-HTTP page can set or overwrite it (no session fixation through them).
 */
const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

// Secure whenever the request came over HTTPS (behind a proxy, as X-Forwarded-Proto says when TRUST_PROXY
// trusts it); plain-HTTP setups such as `npm start` on localhost keep working. Never a Domain.
function cookieOptions(request: FastifyRequest) {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: isSecure(request) } as const;
}

function isSecure(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/** The cookie's name for this request: `__Host-` prefixed over HTTPS; only that one is read there. */
function sessionCookieName(request: FastifyRequest): string {
  return isSecure(request) ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

export function readSessionToken(request: FastifyRequest): string | undefined {
  return request.cookies[sessionCookieName(request)];
}

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, grant: SessionGrant): void {
  reply.setCookie(sessionCookieName(request), grant.token, {
    ...cookieOptions(request),
    expires: grant.expiresAt,
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName(request), cookieOptions(request));
}

/** Whether the request carries the session's CSRF token in X-CSRF-Token (compared in constant time). */
export function hasCsrfToken(request: FastifyRequest, expected: string): boolean {
  const header = request.headers['x-csrf-token'];
  return secretsMatch(expected, typeof header === 'string' ? header : undefined);
}

/**
 * Answers a sign-in (setup, login, accepted invitation): ends the session the browser held before, sets the
 * new session's cookie and sends the session's view.
 */
export async function sendSignedIn(
  db: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  signedIn: SignedIn,
  status: 200 | 201,
) {
  const previous = readSessionToken(request);
  if (previous) await endSession({ db }, previous);
  const view = await describeSession(db, { ...signedIn, csrfToken: signedIn.grant.csrfToken });
  if (!view)
    throw new AppError('INTERNAL_ERROR', { cause: new Error('a new session has no user or workspace') });
  setSessionCookie(request, reply, signedIn.grant);
  return reply.code(status).send({ success: true as const, data: view });
}
