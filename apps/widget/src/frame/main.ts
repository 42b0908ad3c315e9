import './frame.css';
import {
  isLoaderMessage,
  type LoaderToPanel,
  type PanelToLoader,
  type Unmarked,
} from '../shared/protocol.ts';
import { createPanel } from './panel.ts';
import { createPanelView } from './panel-view.ts';
import { startPreview } from './preview.ts';

// The panel in PollyBot's iframe. /widget/frame?key=<pk>&origin=<host page origin> is the live panel: it
// talks to the host page (the loader) only at that origin, and the server has already checked that the
// origin is on the key's list (the frame's `frame-ancestors`). /widget/preview is the dashboard's preview.

const params = new URLSearchParams(location.search);
const root = document.getElementById('pollybot-panel') as HTMLElement;
const isPreview = params.get('preview') === '1' || location.pathname.endsWith('/preview');
const hostOrigin = params.get('origin') ?? '';

const postToHost = (message: Unmarked<PanelToLoader>) => {
  if (!isPreview && hostOrigin) window.parent.postMessage({ pollybot: 'panel', ...message }, hostOrigin);
};

const view = createPanelView(root, {
  onSend: (text) => panel?.send(text),
  onNewConversation: () => panel?.newConversation(),
  onClose: () => postToHost({ type: 'close' }),
});

let panel: ReturnType<typeof createPanel> | undefined;

if (isPreview) startPreview(view);
else {
  window.addEventListener('message', (event) => {
    if (event.origin !== hostOrigin || event.source !== window.parent || !isLoaderMessage(event.data)) return;
    handle(event.data);
  });
  // The loader answers with `init` (and the visitor's identity token, if the page gave one) before the
  // session starts, so a verified visitor never starts as an anonymous one first.
  postToHost({ type: 'hello' });
}

function handle(message: LoaderToPanel): void {
  if (message.type === 'open') view.focusField();
  else if (message.type === 'init') {
    if (panel) return; // The loader sends one `init` per frame.
    panel = createPanel({
      key: params.get('key') ?? '',
      origin: hostOrigin,
      view,
      keptByPage: message.reset ? null : message.visitorToken,
      config: message.config,
      onMessage: (reply) => postToHost({ type: 'message', message: reply }),
      onVisitorToken: (visitorToken) => postToHost({ type: 'visitor', visitorToken }),
    });
    if (message.reset) panel.forgetVisitor();
    void (message.identityToken ? panel.identify(message.identityToken) : panel.begin());
  } else if (message.type === 'identify') void panel?.identify(message.identityToken);
  else if (message.type === 'reset') void panel?.reset();
}

// Keyboard: Esc closes the panel (the loader returns focus to the launcher); Tab stays inside the panel.
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    event.preventDefault();
    postToHost({ type: 'close' });
    return;
  }
  if (event.key !== 'Tab') return;
  const focusable = Array.from(
    root.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), textarea:not([disabled])'),
  ).filter((element) => element.offsetParent !== null);
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !root.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !root.contains(active))) {
    event.preventDefault();
    first.focus();
  }
});
