import type { Kysely } from 'kysely';
import type { ChatbotWidgetRow, Database } from './database.ts';

export function findChatbotWidget(
  db: Kysely<Database>,
  chatbotId: string,
): Promise<ChatbotWidgetRow | undefined> {
  return db.selectFrom('chatbot_widgets').selectAll().where('chatbot_id', '=', chatbotId).executeTakeFirst();
}

/** Stores the chatbot's widget settings (JSON), keeping its identity secret. */
export async function saveWidgetSettings(
  db: Kysely<Database>,
  chatbotId: string,
  settings: string,
  updatedAt: string,
): Promise<void> {
  await db
    .insertInto('chatbot_widgets')
    .values({ chatbot_id: chatbotId, settings, updated_at: updatedAt })
    .onConflict((conflict) => conflict.column('chatbot_id').doUpdateSet({ settings, updated_at: updatedAt }))
    .execute();
}

/** Replaces the chatbot's identity secret (with `settings` for a chatbot that has no widget row yet). */
export async function saveIdentitySecret(
  db: Kysely<Database>,
  chatbotId: string,
  fields: { secret: string; createdAt: string; defaultSettings: string },
): Promise<void> {
  const { secret, createdAt } = fields;
  await db
    .insertInto('chatbot_widgets')
    .values({
      chatbot_id: chatbotId,
      settings: fields.defaultSettings,
      identity_secret: secret,
      identity_secret_created_at: createdAt,
      updated_at: createdAt,
    })
    .onConflict((conflict) =>
      conflict.column('chatbot_id').doUpdateSet({
        identity_secret: secret,
        identity_secret_created_at: createdAt,
        updated_at: createdAt,
      }),
    )
    .execute();
}
