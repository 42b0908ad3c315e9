// The messages the loader (on the host page) and the panel (in PollyBot's iframe) send each other with
// postMessage. Each side posts only to the other's exact origin and accepts only messages from it (the
// loader: the server's origin and its own iframe; the panel: the host page's origin and its parent).

import type { WidgetPublicConfig } from '@pollybot/contracts';

/** A reply or a visitor's message, as the host page's `PollyBot('on', 'message', ...)` callbacks get it. */
export interface WidgetChatMessage {
  role: 'user' | 'assistant';
  content: string;
  conversationId: string;
}

/** The panel's messages to the loader. */
export type PanelToLoader =
  | { pollybot: 'panel'; type: 'hello' }
  | { pollybot: 'panel'; type: 'close' }
  /** Sent only when the frame's own storage is blocked (a third-party frame): the page keeps the token. */
  | { pollybot: 'panel'; type: 'visitor'; visitorToken: string | null }
  | { pollybot: 'panel'; type: 'message'; message: WidgetChatMessage };

/** The loader's messages to the panel. */
export type LoaderToPanel =
  | {
      pollybot: 'loader';
      type: 'init';
      identityToken: string | null;
      reset: boolean;
      /** The visitor token the page kept for a panel whose own storage is blocked; null when none. */
      visitorToken: string | null;
      /** The key's public config the loader fetched: the panel shows its title and welcome at once. */
      config: WidgetPublicConfig | null;
    }
  | { pollybot: 'loader'; type: 'open' }
  | { pollybot: 'loader'; type: 'identify'; identityToken: string }
  | { pollybot: 'loader'; type: 'reset' };

/** A message as a side writes it, before the `pollybot` marker is added (each member of the union kept). */
export type Unmarked<Message> = Message extends unknown ? Omit<Message, 'pollybot'> : never;

/** Whether a posted value is one of the panel's messages (any other page script may post to the window). */
export function isPanelMessage(value: unknown): value is PanelToLoader {
  return (
    typeof value === 'object' && value !== null && (value as { pollybot?: unknown }).pollybot === 'panel'
  );
}

/** Whether a posted value is one of the loader's messages. */
export function isLoaderMessage(value: unknown): value is LoaderToPanel {
  return (
    typeof value === 'object' && value !== null && (value as { pollybot?: unknown }).pollybot === 'loader'
  );
}
