import type { WidgetPublicConfig } from '@pollybot/contracts';
import {
  isPanelMessage,
  type LoaderToPanel,
  type Unmarked,
  type WidgetChatMessage,
} from '../shared/protocol.ts';
import { CHAT_ICON, launcherStyle } from './launcher-style.ts';

// widget.js: the loader a site pastes as `<script src="https://<server>/widget.js" data-chatbot="pk-..."
// async></script>`. It asks the server for the key's public config (a CORS request that fails from an origin
// not on the key's list), draws the launcher in a closed shadow root and, on first open only, creates the
// panel's iframe. It keeps `window.PollyBot`, replaying the calls a page queued before it loaded.

type EventName = 'ready' | 'open' | 'close' | 'message';
type Callback = (detail?: WidgetChatMessage) => void;
type Command = [string, ...unknown[]];
type PollyBotFunction = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[]; loaded?: true };

const NARROW_SCREEN = '(max-width: 480px)';

// document.currentScript is only set while this script's first run lasts: read it before anything awaits.
const script = document.currentScript as HTMLScriptElement | null;
const scope = window as unknown as { PollyBot?: PollyBotFunction };

// A second copy of the script on the same page leaves the first in charge.
if (script && !scope.PollyBot?.loaded) start(script);

function start(tag: HTMLScriptElement): void {
  const key = tag.dataset.chatbot ?? '';
  const server = new URL(tag.src).origin;
  const listeners: Record<EventName, Callback[]> = { ready: [], open: [], close: [], message: [] };
  const pending: Command[] = Array.from(scope.PollyBot?.q ?? [], (args) => Array.from(args) as Command);
  let ready = false;
  let isOpen = false;
  let identityToken: string | null = null;
  let resetPending = false;
  let button: HTMLButtonElement | undefined;
  let root: ShadowRoot | undefined;
  let frame: HTMLIFrameElement | undefined;
  let panelReady = false;
  let config: WidgetPublicConfig | null = null;
  // The visitor's token, kept here only for a panel whose own storage the browser blocks (see the panel).
  const storedName = `pollybot:visitor:${key}`;
  const keptToken = (value?: string | null) => {
    try {
      if (value === undefined) return localStorage.getItem(storedName);
      if (value === null) localStorage.removeItem(storedName);
      else localStorage.setItem(storedName, value);
    } catch {
      // No storage on this page either: the visitor is new on each load.
    }
    return null;
  };

  const emit = (name: EventName, detail?: WidgetChatMessage) => {
    for (const callback of listeners[name]) {
      try {
        callback(detail);
      } catch (error) {
        console.error(error);
      }
    }
  };

  // Until the panel says hello its window may still be the initial about:blank: nothing is posted to it.
  const post = (message: Unmarked<LoaderToPanel>) => {
    if (panelReady) frame?.contentWindow?.postMessage({ pollybot: 'loader', ...message }, server);
  };

  const setOpen = (open: boolean, returnFocus = false) => {
    if (!button || !root || open === isOpen) return;
    isOpen = open;
    if (open && !frame) frame = createFrame(root);
    if (!frame) return;
    frame.hidden = !open;
    (root.firstElementChild as HTMLElement).className = open ? 'open' : '';
    button.setAttribute('aria-expanded', String(open));
    if (open) {
      frame.focus();
      post({ type: 'open' });
    } else if (returnFocus || window.matchMedia(NARROW_SCREEN).matches) {
      button.focus();
    }
    emit(open ? 'open' : 'close');
  };

  const createFrame = (shadow: ShadowRoot): HTMLIFrameElement => {
    const element = document.createElement('iframe');
    const query = new URLSearchParams({ key, origin: location.origin });
    element.src = `${server}/widget/frame?${query}`;
    element.title = config?.title ?? 'Chat';
    element.setAttribute('allow', 'clipboard-write');
    shadow.firstElementChild?.append(element);
    return element;
  };

  const run = ([command, ...args]: Command) => {
    if (command === 'on') {
      const [name, callback] = args as [EventName, Callback];
      if (listeners[name] && typeof callback === 'function') {
        listeners[name].push(callback);
        if (name === 'ready' && ready) callback();
      }
      return;
    }
    if (!ready) {
      pending.push([command, ...args]);
      return;
    }
    if (command === 'open') setOpen(true);
    else if (command === 'close') setOpen(false);
    else if (command === 'toggle') setOpen(!isOpen);
    else if (command === 'identify') {
      const token = (args[0] as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string' || !token) return console.warn('PollyBot: identify needs { token }');
      identityToken = token;
      post({ type: 'identify', identityToken: token });
    } else if (command === 'reset') {
      identityToken = null;
      keptToken(null);
      if (panelReady) post({ type: 'reset' });
      else resetPending = true;
    } else console.warn(`PollyBot: unknown command ${command}`);
  };

  const api: PollyBotFunction = (...args: unknown[]) => run(args as Command);
  api.loaded = true;
  scope.PollyBot = api;
  // `on` listeners queued before the script loaded are registered at once; the rest wait for the launcher.
  for (const command of pending.splice(0)) run(command);

  window.addEventListener('message', (event) => {
    if (event.origin !== server || !frame || event.source !== frame.contentWindow) return;
    const message = event.data;
    if (!isPanelMessage(message)) return;
    if (message.type === 'hello') {
      panelReady = true;
      post({ type: 'init', identityToken, reset: resetPending, visitorToken: keptToken(), config });
      resetPending = false;
      if (isOpen) post({ type: 'open' });
    } else if (message.type === 'close') setOpen(false, true);
    else if (message.type === 'message') emit('message', message.message);
    else if (message.type === 'visitor') keptToken(message.visitorToken);
  });

  // A refusal the page may read (an unknown or revoked key) says so; one it may not read is a CORS error,
  // which is what a page whose origin is not on the key's list gets (as does a server out of reach).
  fetch(`${server}/api/widget/v1/config?key=${encodeURIComponent(key)}`)
    .then(
      async (response) => {
        const body = (await response.json().catch(() => null)) as {
          data?: WidgetPublicConfig;
          code?: string;
          error?: string;
        } | null;
        if (response.ok && body?.data) return body.data;
        throw new Error(
          body?.code === 'PUBLISHABLE_KEY_INVALID'
            ? `the key is unknown or revoked (${key || 'no data-chatbot attribute'})`
            : `the server refused the widget's config: ${body?.error ?? response.status} (${body?.code ?? ''})`,
        );
      },
      () => {
        throw new Error(
          "this page's origin is not on the key's list (or the server could not be reached): " +
            location.origin,
        );
      },
    )
    .then((loaded) => {
      config = loaded;
      const host = document.createElement('div');
      host.id = 'pollybot-widget';
      // Inline and important, so no page rule can hide or move the host; set through the CSSOM, which a
      // page's CSP allows (a style attribute written as markup it may refuse).
      for (const [property, value] of [
        ['all', 'initial'],
        ['display', 'block'],
        ['position', 'fixed'],
        ['z-index', '2147483647'],
      ]) {
        host.style.setProperty(property as string, value as string, 'important');
      }
      root = host.attachShadow({ mode: 'closed' });
      const css = launcherStyle(loaded.accentColor, loaded.position === 'bottom-left' ? 'left' : 'right');
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
      const container = document.createElement('div');
      button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('aria-label', 'Open chat');
      button.setAttribute('aria-expanded', 'false');
      button.innerHTML = CHAT_ICON;
      button.addEventListener('click', () => setOpen(!isOpen));
      container.append(button);
      root.append(container);
      const show = () => {
        document.body.append(host);
        ready = true;
        emit('ready');
        for (const command of pending.splice(0)) run(command);
      };
      // A script in <head> may have its answer before the body exists.
      if (document.body) show();
      else document.addEventListener('DOMContentLoaded', show, { once: true });
    })
    .catch((error: Error) => console.warn(`PollyBot: the widget is not shown: ${error.message}`));
}
