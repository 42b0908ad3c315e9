import type { Kysely } from 'kysely';
import type { Database, SetupTokenTable } from './database.ts';

export async function insertSetupToken(db: Kysely<Database>, row: SetupTokenTable): Promise<void> {
  await db.insertInto('setup_tokens').values(row).execute();
}

/** The hashes of every setup token printed since the last setup (one per start while setup was needed). */
export async function listSetupTokenHashes(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('setup_tokens').select('token_hash').execute();
  return rows.map((row) => row.token_hash);
}

export async function deleteSetupTokens(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('setup_tokens').execute();
}
