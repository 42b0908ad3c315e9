import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const WELL_FORMED = /^[A-Za-z0-9_-]{43}$/;

/** 32 random bytes, base64url: session cookies, CSRF tokens and invitation tokens. */
export function generateSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isWellFormedSecretToken(token: string): boolean {
  return WELL_FORMED.test(token);
}

/** SHA-256: the tokens are long random secrets, so a fast hash is safe and a lookup by hash leaks nothing. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Compares a secret with what a client sent, in time that depends on neither (both are hashed first). */
export function secretsMatch(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(expected), digest(given)) && expected.length > 0;
}
