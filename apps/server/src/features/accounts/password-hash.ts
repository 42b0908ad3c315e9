import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt is memory-hard: each guess costs 128 * N * r bytes (32 MiB here), which is what makes
// guessing on GPUs and ASICs expensive. The parameters are stored with each hash, so they can be
// raised later while older hashes keep verifying.
const COST_LOG2 = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

// Bounds for parameters read back from the database: a corrupted row must not make one login
// allocate gigabytes.
const MAX_COST_LOG2 = 20;
const MAX_BLOCK_SIZE = 32;
const MAX_PARALLELISM = 16;

/** A hash in PHC string format: `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64, no padding). */
const ENCODED = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

type ScryptParameters = { costLog2: number; blockSize: number; parallelism: number };

function deriveKey(password: string, salt: Buffer, keyBytes: number, parameters: ScryptParameters) {
  const options: ScryptOptions = {
    N: 2 ** parameters.costLog2,
    r: parameters.blockSize,
    p: parameters.parallelism,
    // Node refuses more than 32 MiB by default, which is exactly what N=2^15, r=8 needs, plus its overhead.
    maxmem: 2 * 128 * 2 ** parameters.costLog2 * parameters.blockSize * parameters.parallelism,
  };
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyBytes, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

const toBase64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

/** Hashes a password with a fresh random salt; the result carries its parameters. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const parameters = { costLog2: COST_LOG2, blockSize: BLOCK_SIZE, parallelism: PARALLELISM };
  const key = await deriveKey(password, salt, KEY_BYTES, parameters);
  return `$scrypt$ln=${COST_LOG2},r=${BLOCK_SIZE},p=${PARALLELISM}$${toBase64(salt)}$${toBase64(key)}`;
}

/** Whether the password matches the hash, compared in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const match = ENCODED.exec(encoded);
  if (!match) return false;
  const parameters = {
    costLog2: Number(match[1]),
    blockSize: Number(match[2]),
    parallelism: Number(match[3]),
  };
  const inBounds =
    parameters.costLog2 >= 1 &&
    parameters.costLog2 <= MAX_COST_LOG2 &&
    parameters.blockSize >= 1 &&
    parameters.blockSize <= MAX_BLOCK_SIZE &&
    parameters.parallelism >= 1 &&
    parameters.parallelism <= MAX_PARALLELISM;
  if (!inBounds) return false;
  const salt = Buffer.from(match[4] ?? '', 'base64');
  const expected = Buffer.from(match[5] ?? '', 'base64');
  if (salt.length === 0 || expected.length < 16) return false;
  const actual = await deriveKey(password, salt, expected.length, parameters);
  return timingSafeEqual(actual, expected);
}

let decoy: Promise<string> | undefined;

/**
 * A hash no password matches, verified when there is no account to check against, so that an unknown
 * e-mail address costs the same scrypt work as a wrong password and timing does not tell them apart.
 */
export function decoyPasswordHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(32).toString('base64'));
  return decoy;
}
