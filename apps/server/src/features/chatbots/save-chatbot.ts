import type { ChatbotCreate, ChatbotUpdate } from '@pollybot/contracts';
import type { Kysely } from 'kysely';
import { deleteChatbot, findChatbot, insertChatbot, updateChatbot } from '../../db/chatbots.repository.ts';
import type { ChatbotRow, ChatbotRowUpdate, Database } from '../../db/database.ts';
import { AppError } from '../../errors/app-error.ts';
import { invalidField } from '../../errors/validation-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { ModelGateway } from '../../models/model-gateway.ts';
import type { InvalidationBus } from '../cache/invalidation-bus.ts';

/** What changing a chatbot takes: its storage, the gateway that says which models are usable, the bus. */
type ChatbotChangeDeps = {
  db: Kysely<Database>;
  clock: Clock;
  models: Pick<ModelGateway, 'whyUnavailable'>;
  invalidations: Pick<InvalidationBus, 'publish'>;
};

/** What creating a chatbot takes; `defaultModel` is the model of a chatbot created without one. */
export type ChatbotCreateDeps = Omit<ChatbotChangeDeps, 'invalidations'> & {
  ids: IdGenerator;
  defaultModel: string;
};

const CHATBOT_DEFAULTS = {
  instructions: 'You are a helpful assistant.',
  temperature: 0.7,
  maxTokens: 1024,
  streaming: false,
  rateLimit: { requests: 60, windowSeconds: 60 },
  status: 'active' as const,
};

function assertModelAvailable(deps: { models: Pick<ModelGateway, 'whyUnavailable'> }, model: string): void {
  const reason = deps.models.whyUnavailable(model);
  if (reason) {
    throw invalidField('model', reason);
  }
}

export async function createChatbot(
  deps: ChatbotCreateDeps,
  workspaceId: string,
  input: ChatbotCreate,
): Promise<ChatbotRow> {
  const model = input.model ?? deps.defaultModel;
  assertModelAvailable(deps, model);
  const now = deps.clock.now().toISOString();
  const rateLimit = input.rateLimit ?? CHATBOT_DEFAULTS.rateLimit;
  const row: ChatbotRow = {
    id: deps.ids(),
    workspace_id: workspaceId,
    name: input.name,
    instructions: input.instructions ?? CHATBOT_DEFAULTS.instructions,
    model,
    temperature: input.temperature ?? CHATBOT_DEFAULTS.temperature,
    max_tokens: input.maxTokens ?? CHATBOT_DEFAULTS.maxTokens,
    streaming: (input.streaming ?? CHATBOT_DEFAULTS.streaming) ? 1 : 0,
    rate_limit_requests: rateLimit.requests,
    rate_limit_window_seconds: rateLimit.windowSeconds,
    fallback_message: input.fallbackMessage ?? null,
    status: input.status ?? CHATBOT_DEFAULTS.status,
    created_at: now,
    updated_at: now,
  };
  await insertChatbot(deps.db, row);
  return row;
}

/** Applies a partial update; throws CHATBOT_NOT_FOUND for a bot outside the workspace. */
export async function patchChatbot(
  deps: ChatbotChangeDeps,
  workspaceId: string,
  id: string,
  input: ChatbotUpdate,
): Promise<ChatbotRow> {
  if (input.model !== undefined) assertModelAvailable(deps, input.model);
  const changes: ChatbotRowUpdate = { updated_at: deps.clock.now().toISOString() };
  if (input.name !== undefined) changes.name = input.name;
  if (input.instructions !== undefined) changes.instructions = input.instructions;
  if (input.model !== undefined) changes.model = input.model;
  if (input.temperature !== undefined) changes.temperature = input.temperature;
  if (input.maxTokens !== undefined) changes.max_tokens = input.maxTokens;
  if (input.streaming !== undefined) changes.streaming = input.streaming ? 1 : 0;
  if (input.status !== undefined) changes.status = input.status;
  if (input.fallbackMessage !== undefined) changes.fallback_message = input.fallbackMessage;
  if (input.rateLimit !== undefined) {
    changes.rate_limit_requests = input.rateLimit.requests;
    changes.rate_limit_window_seconds = input.rateLimit.windowSeconds;
  }
  const updated = await updateChatbot(deps.db, workspaceId, id, changes);
  const row = updated ? await findChatbot(deps.db, workspaceId, id) : undefined;
  if (!row) throw new AppError('CHATBOT_NOT_FOUND');
  await deps.invalidations.publish('chatbot', id);
  return row;
}

/** Deletes a chatbot with its conversations; every instance forgets it. */
export async function removeChatbot(
  deps: Pick<ChatbotChangeDeps, 'db' | 'invalidations'>,
  workspaceId: string,
  id: string,
) {
  const deleted = await deleteChatbot(deps.db, workspaceId, id);
  if (!deleted) throw new AppError('CHATBOT_NOT_FOUND');
  await deps.invalidations.publish('chatbot', id);
}

export async function getChatbot(
  deps: { db: Kysely<Database> },
  workspaceId: string,
  id: string,
): Promise<ChatbotRow> {
  const row = await findChatbot(deps.db, workspaceId, id);
  if (!row) throw new AppError('CHATBOT_NOT_FOUND');
  return row;
}
