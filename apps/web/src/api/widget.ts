import {
  identitySecretSchema,
  publishableKeySchema,
  revokedSchema,
  widgetConfigSchema,
} from '@pollybot/contracts';
import { chatbotPath } from './chatbots.ts';
import { api, apiPage, type Page } from './client.ts';
import type {
  IdentitySecret,
  PublishableKey,
  PublishableKeyCreate,
  WidgetConfig,
  WidgetSettings,
} from './types.ts';

// A chatbot's website widget: its publishable keys (/api/v1/chatbots/{id}/publishable-keys), its look and
// limits, and the secret its owner signs visitors' identities with (/api/v1/chatbots/{id}/widget).

/** One page of the chatbot's publishable keys, revoked ones included. */
export function listPublishableKeys(
  chatbotId: string,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<Page<PublishableKey>> {
  return apiPage(
    chatbotPath(chatbotId, 'publishable-keys'),
    publishableKeySchema,
    { limit: 50, cursor },
    signal,
  );
}

/** Makes a publishable key for the given origins (none: every site is refused). */
export function createPublishableKey(chatbotId: string, body: PublishableKeyCreate): Promise<PublishableKey> {
  return api('POST', chatbotPath(chatbotId, 'publishable-keys'), publishableKeySchema, { body });
}

/** Replaces the origins a key may be used from. */
export function updatePublishableKey(
  chatbotId: string,
  keyId: string,
  allowedOrigins: string[],
): Promise<PublishableKey> {
  return api('PATCH', chatbotPath(chatbotId, 'publishable-keys', keyId), publishableKeySchema, {
    body: { allowedOrigins },
  });
}

/** Revokes a key: pages that embed it stop getting a widget. */
export async function revokePublishableKey(chatbotId: string, keyId: string): Promise<void> {
  await api('DELETE', chatbotPath(chatbotId, 'publishable-keys', keyId), revokedSchema);
}

/** The widget's settings (defaults for any never set) and whether an identity secret exists. */
export function getWidgetConfig(chatbotId: string, signal?: AbortSignal): Promise<WidgetConfig> {
  return api('GET', chatbotPath(chatbotId, 'widget'), widgetConfigSchema, { signal });
}

/** Changes the given settings; the others are kept. */
export function updateWidgetSettings(
  chatbotId: string,
  settings: Partial<WidgetSettings>,
): Promise<WidgetConfig> {
  return api('PUT', chatbotPath(chatbotId, 'widget'), widgetConfigSchema, { body: settings });
}

/** A new identity secret, shown only in this answer; the previous one stops working. */
export function rotateIdentitySecret(chatbotId: string): Promise<IdentitySecret> {
  return api('POST', chatbotPath(chatbotId, 'widget', 'identity-secret'), identitySecretSchema);
}

/** The widget's panel in preview mode for the chatbot, served by PollyBot for the Deploy page to frame. */
export function widgetPreviewPath(chatbotId: string): string {
  return `/widget/preview?chatbotId=${encodeURIComponent(chatbotId)}`;
}

/**
 * Whether the server lets this page frame the preview: it serves it (the widget is built) with a policy whose
 * `frame-ancestors` is `'self'`. Asked with HEAD, so a server without the widget's build costs no frame that
 * the browser would refuse.
 */
export async function canFrameWidgetPreview(chatbotId: string, signal?: AbortSignal): Promise<boolean> {
  const response = await fetch(widgetPreviewPath(chatbotId), {
    method: 'HEAD',
    credentials: 'same-origin',
    signal,
  }).catch((cause: unknown) => {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    return undefined;
  });
  return Boolean(response?.ok) && allowsSelfFraming(response?.headers.get('content-security-policy') ?? '');
}

/** Whether a Content-Security-Policy lets pages of the same origin frame the response. */
export function allowsSelfFraming(policy: string): boolean {
  return policy
    .split(';')
    .map((directive) => directive.trim().split(/\s+/))
    .some(([name, ...sources]) => name?.toLowerCase() === 'frame-ancestors' && sources.includes("'self'"));
}
