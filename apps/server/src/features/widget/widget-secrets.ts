import { createHash, randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Uniformly random base62: bytes of 248 and above (the largest multiple of 62 below 256) are rejected. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** A new publishable key, `pk-chatbot_` and 32 base62 characters. */
export function generatePublishableKey(): string {
  return `pk-chatbot_${randomBase62(32)}`;
}

/** A new bearer token for a visitor session, or a visitor token: long random secrets, kept only as hashes. */
export function generateVisitorSecret(prefix: 'vs_' | 'vt_'): string {
  return `${prefix}${randomBase62(43)}`;
}

/** A new identity secret (HS256 wants at least 256 bits): 48 base62 characters, about 285 bits. */
export function generateIdentitySecret(): string {
  return `whsec_${randomBase62(48)}`;
}

/** SHA-256 of a long random token: a fast hash is safe, and a lookup by hash leaks nothing. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
