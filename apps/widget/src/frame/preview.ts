import type { WidgetPublicConfig } from '@pollybot/contracts';
import { replyMessage, userMessage } from './message-view.ts';
import type { PanelView } from './panel-view.ts';
import { PREVIEW_DEFAULTS, readPreviewSettings } from './preview-settings.ts';

// The dashboard's live preview (/widget/preview): no API call at all. The dashboard, on this same origin,
// posts the settings form's current values; the panel shows them over a sample conversation.

const SAMPLE_QUESTION = 'What are your opening hours?';
const SAMPLE_REPLY =
  'We are open **Monday to Friday, 9:00 to 18:00**, and on Saturdays from 10:00 to 16:00.\n\n' +
  '- Phone: 555 0100\n- Email: help@example.com';

export function startPreview(view: PanelView): void {
  const show = (config: WidgetPublicConfig) => {
    view.configure(config);
    view.startOver();
    // A new conversation's welcome and starter questions, then a sample exchange below them (appended to
    // the log directly: a real conversation's first message would take the starter questions away).
    const reply = replyMessage({ onRate: async () => true });
    reply.update(SAMPLE_REPLY);
    reply.complete('preview', [{ id: 'preview', title: 'Opening hours', snippet: '' }], null);
    view.log.append(userMessage(SAMPLE_QUESTION).element, reply.element);
  };
  show(PREVIEW_DEFAULTS);
  window.addEventListener('message', (event) => {
    if (event.origin !== location.origin || event.source !== window.parent) return;
    const config = readPreviewSettings(event.data);
    if (config) show(config);
  });
}
