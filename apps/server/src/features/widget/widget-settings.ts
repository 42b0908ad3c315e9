import {
  DEFAULT_WIDGET_SETTINGS,
  type WidgetPublicConfig,
  type WidgetSettings,
  widgetSettingsSchema,
} from '@pollybot/contracts';
import type { Kysely } from 'kysely';
import type { ChatbotWidgetRow, Database } from '../../db/database.ts';
import {
  findChatbotWidget,
  saveIdentitySecret,
  saveWidgetSettings,
} from '../../db/widget-settings.repository.ts';
import type { Clock } from '../../lib/clock.ts';
import { getChatbot } from '../chatbots/save-chatbot.ts';
import { generateIdentitySecret } from './widget-secrets.ts';

/** A chatbot's widget settings and whether it has an identity secret (never the secret itself). */
export type WidgetConfig = { chatbotId: string; settings: WidgetSettings; hasIdentitySecret: boolean };

/**
 * The stored settings over the defaults: a field added to the settings later reads its default, and a stored
 * value that no longer passes the schema (a cap lowered since) falls back to the whole default set's value.
 */
export function readWidgetSettings(row: Pick<ChatbotWidgetRow, 'settings'> | undefined): WidgetSettings {
  if (!row) return DEFAULT_WIDGET_SETTINGS;
  const stored = JSON.parse(row.settings) as Partial<WidgetSettings>;
  const merged = {
    ...DEFAULT_WIDGET_SETTINGS,
    ...stored,
    limits: { ...DEFAULT_WIDGET_SETTINGS.limits, ...stored.limits },
  };
  const parsed = widgetSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_WIDGET_SETTINGS;
}

/** What the public may read of the settings: how the widget looks and which identity mode it runs. */
export function toPublicConfig(chatbotId: string, settings: WidgetSettings): WidgetPublicConfig {
  const { limits: _limits, ...visible } = settings;
  return { chatbotId, ...visible };
}

export async function getWidgetConfig(
  deps: { db: Kysely<Database> },
  workspaceId: string,
  chatbotId: string,
): Promise<WidgetConfig> {
  const chatbot = await getChatbot(deps, workspaceId, chatbotId);
  const row = await findChatbotWidget(deps.db, chatbot.id);
  return {
    chatbotId: chatbot.id,
    settings: readWidgetSettings(row),
    hasIdentitySecret: !!row?.identity_secret,
  };
}

/** Changes the given fields of the settings (`limits` as a whole), keeping the rest. */
export async function updateWidgetSettings(
  deps: { db: Kysely<Database>; clock: Clock },
  workspaceId: string,
  chatbotId: string,
  changes: Partial<WidgetSettings>,
): Promise<WidgetConfig> {
  const current = await getWidgetConfig(deps, workspaceId, chatbotId);
  const settings: WidgetSettings = { ...current.settings, ...changes };
  await saveWidgetSettings(deps.db, chatbotId, JSON.stringify(settings), deps.clock.now().toISOString());
  return { ...current, settings };
}

/** A new identity secret, shown once: the previous one stops verifying tokens at once. */
export async function rotateIdentitySecret(
  deps: { db: Kysely<Database>; clock: Clock },
  workspaceId: string,
  chatbotId: string,
): Promise<{ secret: string; createdAt: string }> {
  const chatbot = await getChatbot(deps, workspaceId, chatbotId);
  const secret = generateIdentitySecret();
  const createdAt = deps.clock.now().toISOString();
  await saveIdentitySecret(deps.db, chatbot.id, {
    secret,
    createdAt,
    defaultSettings: JSON.stringify(DEFAULT_WIDGET_SETTINGS),
  });
  return { secret, createdAt };
}
