import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { insertSetupToken, listSetupTokenHashes } from '../../db/setup-tokens.repository.ts';
import { hasAnyUser } from '../../db/users.repository.ts';
import type { Clock } from '../../lib/clock.ts';
import { generateSecretToken, hashSecretToken, secretsMatch } from './secret-token.ts';

/**
 * While no account exists, makes a setup token for this start, to be printed for the operator: only its hash
 * is stored, so every instance accepts a token any instance printed. Undefined once setup is done.
 */
export async function issueSetupToken(deps: {
  db: Kysely<Database>;
  clock: Clock;
}): Promise<string | undefined> {
  if (await hasAnyUser(deps.db)) return undefined;
  const token = generateSecretToken();
  await insertSetupToken(deps.db, {
    token_hash: hashSecretToken(token),
    created_at: deps.clock.now().toISOString(),
  });
  return token;
}

/**
 * Whether `given` is a printed setup token or the operator's admin token, compared in constant time: every
 * stored hash is compared with the hash of what was given, whichever matches.
 */
export async function isSetupTokenAccepted(
  db: Kysely<Database>,
  adminToken: string | undefined,
  given: string | undefined,
): Promise<boolean> {
  if (given === undefined || given.length === 0) return false;
  const givenHash = createHash('sha256').update(given).digest();
  let matched = adminToken !== undefined && secretsMatch(adminToken, given);
  for (const stored of await listSetupTokenHashes(db)) {
    const storedHash = Buffer.from(stored, 'hex');
    if (storedHash.length === givenHash.length && timingSafeEqual(storedHash, givenHash)) matched = true;
  }
  return matched;
}

/** The lines printed at start while setup is needed: where to go, and the token to give there. */
export function formatSetupInstructions(baseUrl: string, token: string): string {
  return [
    `Open the dashboard at ${baseUrl}/ to create the owner account, with this setup token:`,
    '',
    `  ${token}`,
    '',
    'Any setup token printed by an instance of this server works (POLLYBOT_ADMIN_TOKEN too, when set),',
    'until the owner account exists. That owner joins the demo workspace, or a new one of its own: a',
    'workspace made through the operator API gets its owner by invitation instead',
    '(POST /api/admin/workspaces/{workspaceId}/invitations).',
  ].join('\n');
}
