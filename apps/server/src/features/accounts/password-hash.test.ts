import { describe, expect, it } from 'vitest';
import { decoyPasswordHash, hashPassword, verifyPassword } from './password-hash.ts';

describe('hashPassword', () => {
  it('encodes scrypt with N=2^15, r=8, p=1, a 16-byte salt and a 32-byte key, never the password', async () => {
    const hash = await hashPassword('correct horse battery staple');

    const match = /^\$scrypt\$ln=15,r=8,p=1\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(hash);
    expect(match).not.toBeNull();
    expect(Buffer.from(match?.[1] ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(match?.[2] ?? '', 'base64')).toHaveLength(32);
    expect(hash).not.toContain('correct horse');
  });

  it('salts every hash: one password hashed twice gives two hashes that both verify', async () => {
    const first = await hashPassword('the same password');
    const second = await hashPassword('the same password');

    expect(first).not.toBe(second);
    expect(await verifyPassword('the same password', first)).toBe(true);
    expect(await verifyPassword('the same password', second)).toBe(true);
  });
});

describe('verifyPassword', () => {
  it('refuses a wrong password, one character off, and a different case', async () => {
    const hash = await hashPassword('Password-1234');

    expect(await verifyPassword('Password-1235', hash)).toBe(false);
    expect(await verifyPassword('password-1234', hash)).toBe(false);
    expect(await verifyPassword('Password-123', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('verifies a password in either Unicode normalisation form', async () => {
    const hash = await hashPassword('caf\u00e9-au-lait');

    expect(await verifyPassword('cafe\u0301-au-lait', hash)).toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['plain text', 'Password-1234'],
    ['another algorithm', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA'],
    [
      'an absurd cost',
      '$scrypt$ln=40,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g',
    ],
    ['a truncated key', '$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA'],
  ])('answers false, without throwing, for %s as the stored hash', async (_label, stored) => {
    expect(await verifyPassword('Password-1234', stored)).toBe(false);
  });

  it('matches nothing against the decoy hash used for unknown e-mail addresses', async () => {
    const decoy = await decoyPasswordHash();

    expect(decoy).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    expect(await verifyPassword('Password-1234', decoy)).toBe(false);
    expect(await decoyPasswordHash()).toBe(decoy);
  });
});
