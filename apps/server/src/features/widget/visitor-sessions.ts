import { PUBLISHABLE_KEY_PATTERN, type VisitorSession, type WidgetSettings } from '@pollybot/contracts';
import type { Kysely } from 'kysely';
import { findChatbot } from '../../db/chatbots.repository.ts';
import type { ChatbotRow, Database, PublishableKeyRow, WidgetVisitorRow } from '../../db/database.ts';
import { findLivePublishableKeyByKey } from '../../db/publishable-keys.repository.ts';
import { findChatbotWidget } from '../../db/widget-settings.repository.ts';
import {
  deleteExpiredVisitorSessions,
  findLiveVisitorSession,
  findVisitorByExternalId,
  findVisitorByTokenHash,
  insertVisitorSession,
  insertWidgetVisitor,
  listVisitorConversations,
  updateWidgetVisitor,
} from '../../db/widget-visitors.repository.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Clock } from '../../lib/clock.ts';
import type { IdGenerator } from '../../lib/ids.ts';
import type { RateLimiter } from '../rate-limits/rate-limiter.ts';
import { readAllowedOrigins } from './publishable-keys.ts';
import { type VisitorIdentity, verifyVisitorIdentity } from './visitor-identity.ts';
import { countNewVisitor } from './widget-limits.ts';
import { generateVisitorSecret, hashToken } from './widget-secrets.ts';
import { readWidgetSettings, toPublicConfig } from './widget-settings.ts';

/** A visitor session lasts an hour; the widget starts a new one (same visitor) when it runs out. */
const SESSION_TTL_MS = 60 * 60 * 1000;
const SESSION_TOKEN = /^vs_[0-9A-Za-z]{43}$/;
const VISITOR_TOKEN = /^vt_[0-9A-Za-z]{43}$/;

type SessionDeps = {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdGenerator;
  limiter: Pick<RateLimiter, 'consume'>;
};

/** The origin a browser would send for `value`, or undefined for anything that is not an http(s) origin. */
function toOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** A live publishable key, and its chatbot; PUBLISHABLE_KEY_INVALID otherwise. */
export async function findKeyAndChatbot(
  deps: { db: Kysely<Database> },
  key: string,
): Promise<{
  key: PublishableKeyRow;
  chatbot: ChatbotRow;
  settings: WidgetSettings;
  allowedOrigins: string[];
  identitySecret: string | null;
}> {
  const row = PUBLISHABLE_KEY_PATTERN.test(key) ? await findLivePublishableKeyByKey(deps.db, key) : undefined;
  const chatbot = row && (await findChatbot(deps.db, row.workspace_id, row.chatbot_id));
  if (!row || !chatbot) throw new AppError('PUBLISHABLE_KEY_INVALID');
  const widget = await findChatbotWidget(deps.db, chatbot.id);
  return {
    key: row,
    chatbot,
    settings: readWidgetSettings(widget),
    allowedOrigins: readAllowedOrigins(row),
    identitySecret: widget?.identity_secret ?? null,
  };
}

/** Whether the origin is on the list (deny by default: an empty list allows nothing). */
export function isOriginAllowed(allowedOrigins: readonly string[], origin: string | undefined): boolean {
  const normalized = origin === undefined ? undefined : toOrigin(origin);
  return normalized !== undefined && allowedOrigins.includes(normalized);
}

/** The identity the session request proves, as the chatbot's identity mode asks; null for an anonymous visitor. */
async function readIdentity(
  chatbot: ChatbotRow,
  settings: WidgetSettings,
  identitySecret: string | null,
  identityToken: string | undefined,
  now: Date,
): Promise<VisitorIdentity | null> {
  if (settings.identity === 'off') return null;
  if (identityToken === undefined || identityToken === '') {
    if (settings.identity === 'required') throw new AppError('IDENTITY_REQUIRED');
    return null;
  }
  return verifyVisitorIdentity(identityToken, { secret: identitySecret, chatbotId: chatbot.id, now });
}

/**
 * Which visitor the session is for: a verified visitor is found by their `sub` (the same visitor on every
 * device); an anonymous one by their visitor token, of this chatbot only, and only while anonymous (a verified
 * visitor's conversations open only with a verified identity). An anonymous visitor who identifies is verified
 * in place, unless that `sub` already has a visitor. Anyone else is a new visitor, counted per IP address.
 */
async function resolveVisitor(
  deps: SessionDeps,
  context: {
    chatbot: ChatbotRow;
    identity: VisitorIdentity | null;
    visitorToken: string | undefined;
    ip: string;
    limitMessage: string;
    now: string;
  },
): Promise<{ visitor: WidgetVisitorRow; visitorToken: string }> {
  const { chatbot, identity, now } = context;
  const given =
    context.visitorToken && VISITOR_TOKEN.test(context.visitorToken) ? context.visitorToken : undefined;
  const byToken = given ? await findVisitorByTokenHash(deps.db, chatbot.id, hashToken(given)) : undefined;
  const identityFields = identity ? { name: identity.name, email: identity.email } : {};

  if (identity) {
    const verified = await findVisitorByExternalId(deps.db, chatbot.id, identity.userId);
    const reusable = verified ?? (byToken && byToken.external_user_id === null ? byToken : undefined);
    if (reusable) {
      // The token stays when it is this visitor's; otherwise (a new device) the visitor gets a new one.
      const keepsToken = given !== undefined && byToken?.id === reusable.id;
      const visitorToken = keepsToken ? given : generateVisitorSecret('vt_');
      const fields = {
        ...identityFields,
        external_user_id: identity.userId,
        last_seen_at: now,
        ...(keepsToken ? {} : { token_hash: hashToken(visitorToken) }),
      };
      await updateWidgetVisitor(deps.db, reusable.id, fields);
      return { visitor: { ...reusable, ...fields }, visitorToken };
    }
  } else if (byToken && given && byToken.external_user_id === null) {
    await updateWidgetVisitor(deps.db, byToken.id, { last_seen_at: now });
    return { visitor: byToken, visitorToken: given };
  }

  await countNewVisitor(deps, { chatbotId: chatbot.id, ip: context.ip }, context.limitMessage);
  const visitorToken = generateVisitorSecret('vt_');
  const visitor: WidgetVisitorRow = {
    id: deps.ids(),
    workspace_id: chatbot.workspace_id,
    chatbot_id: chatbot.id,
    token_hash: hashToken(visitorToken),
    external_user_id: identity?.userId ?? null,
    name: identity?.name ?? null,
    email: identity?.email ?? null,
    created_at: now,
    last_seen_at: now,
  };
  await insertWidgetVisitor(deps.db, visitor);
  return { visitor, visitorToken };
}

export type VisitorSessionStart = {
  key: string;
  origin: string;
  visitorToken?: string | undefined;
  identityToken?: string | undefined;
  /** The client's address (TRUST_PROXY decides which hop): new visitors are counted by it. */
  ip: string;
};

/**
 * Starts a visitor session: the key must be live, the origin on its list, the chatbot active, the identity as
 * the chatbot's mode asks. Answers a short-lived bearer token (only its hash is stored) for that chatbot, origin
 * and visitor, with the visitor token to keep and the visitor's latest conversation.
 */
export async function startVisitorSession(
  deps: SessionDeps,
  input: VisitorSessionStart,
): Promise<VisitorSession> {
  const { key, chatbot, settings, allowedOrigins, identitySecret } = await findKeyAndChatbot(deps, input.key);
  const origin = toOrigin(input.origin);
  if (!origin || !allowedOrigins.includes(origin)) throw new AppError('ORIGIN_NOT_ALLOWED');
  if (chatbot.status !== 'active')
    throw new AppError('CHATBOT_INACTIVE', { message: settings.offlineMessage });
  const now = deps.clock.now();
  const identity = await readIdentity(chatbot, settings, identitySecret, input.identityToken, now);
  const { visitor, visitorToken } = await resolveVisitor(deps, {
    chatbot,
    identity,
    visitorToken: input.visitorToken,
    ip: input.ip,
    limitMessage: settings.limitMessage,
    now: now.toISOString(),
  });
  await deleteExpiredVisitorSessions(deps.db, now.toISOString());
  const token = generateVisitorSecret('vs_');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  await insertVisitorSession(deps.db, {
    token_hash: hashToken(token),
    visitor_id: visitor.id,
    chatbot_id: chatbot.id,
    workspace_id: chatbot.workspace_id,
    publishable_key_id: key.id,
    origin,
    expires_at: expiresAt,
    created_at: now.toISOString(),
  });
  const latest = await listVisitorConversations(deps.db, chatbot.id, visitor.id, { limit: 1 });
  return {
    token,
    expiresAt,
    visitorToken,
    visitor: { id: visitor.id, verified: visitor.external_user_id !== null, name: visitor.name },
    conversationId: latest.items[0]?.id ?? null,
    config: toPublicConfig(chatbot.id, settings),
  };
}

/** Who a visitor session's bearer token stands for, as every widget route after `/sessions` needs it. */
export type VisitorPrincipal = {
  visitorId: string;
  chatbotId: string;
  workspaceId: string;
  publishableKeyId: string;
  /** The host page's origin the session was started for. */
  origin: string;
  allowedOrigins: string[];
  externalUserId: string | null;
  name: string | null;
  email: string | null;
  settings: WidgetSettings;
};

/** The live session of a bearer token; VISITOR_SESSION_INVALID for a missing, unknown or expired one. */
export async function authenticateVisitorSession(
  deps: { db: Kysely<Database>; clock: Clock },
  token: string | undefined,
): Promise<VisitorPrincipal> {
  if (!token || !SESSION_TOKEN.test(token)) throw new AppError('VISITOR_SESSION_INVALID');
  const session = await findLiveVisitorSession(deps.db, hashToken(token), deps.clock.now().toISOString());
  if (!session) throw new AppError('VISITOR_SESSION_INVALID');
  const settings = readWidgetSettings(await findChatbotWidget(deps.db, session.chatbot_id));
  return {
    visitorId: session.visitor_id,
    chatbotId: session.chatbot_id,
    workspaceId: session.workspace_id,
    publishableKeyId: session.publishable_key_id,
    origin: session.origin,
    allowedOrigins: readAllowedOrigins(session),
    externalUserId: session.external_user_id,
    name: session.name,
    email: session.email,
    settings,
  };
}
