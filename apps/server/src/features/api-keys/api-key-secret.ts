import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'sk-workspace_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_LENGTH = 40;
const DISPLAY_LENGTH = KEY_PREFIX.length + 6;
const WELL_FORMED = /^sk-workspace_[0-9A-Za-z]{32,128}$/;

/** A new key: the secret (shown once), the display prefix and the hash, which is all that is stored. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  // 248 is the largest multiple of 62 below 256: rejecting bytes above it keeps every character uniform.
  let secret = '';
  while (secret.length < SECRET_LENGTH) {
    for (const byte of randomBytes(SECRET_LENGTH)) {
      if (byte < 248 && secret.length < SECRET_LENGTH) secret += BASE62[byte % 62];
    }
  }
  const key = `${KEY_PREFIX}${secret}`;
  return { key, prefix: key.slice(0, DISPLAY_LENGTH), hash: hashApiKey(key) };
}

/** SHA-256 of the whole key: keys are long random secrets, so a fast hash is safe and a lookup by hash leaks nothing. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function isWellFormedApiKey(key: string): boolean {
  return WELL_FORMED.test(key);
}

/** Extracts the key from `Authorization: Bearer <key>`; undefined when the header is missing or malformed. */
export function readBearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}
