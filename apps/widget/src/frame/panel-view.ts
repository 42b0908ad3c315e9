import type { WidgetPublicConfig } from '@pollybot/contracts';
import { h, ICONS, icon } from './dom.ts';
import { applyTheme } from './theme.ts';

// The panel's frame: header (avatar, title, "New conversation", close), the conversation log (an
// aria-live region), a notice for refusals, and the composer with its "Message" field and "Send" button.

export type PanelConfig = Pick<
  WidgetPublicConfig,
  'title' | 'welcomeMessage' | 'starterQuestions' | 'accentColor' | 'theme' | 'avatarUrl'
>;

export interface PanelCallbacks {
  onSend(text: string): void;
  onNewConversation(): void;
  onClose(): void;
}

function iconButton(label: string, paths: string, onClick: () => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'icon-button', 'aria-label': label, title: label });
  button.append(icon(paths));
  button.addEventListener('click', onClick);
  return button;
}

export function createPanelView(root: HTMLElement, callbacks: PanelCallbacks) {
  const title = h('h1', { class: 'title', id: 'pollybot-title', dir: 'auto' }, 'Chat');
  const avatar = h('span', { class: 'avatar', 'aria-hidden': 'true' });
  const log = h('div', {
    class: 'log',
    role: 'log',
    'aria-live': 'polite',
    'aria-labelledby': 'pollybot-title',
  });
  const notice = h('p', { class: 'notice', role: 'alert', hidden: true });
  const field = h('textarea', {
    id: 'pollybot-message',
    rows: '1',
    dir: 'auto',
    maxlength: '4000',
    placeholder: 'Write a message…',
  });
  const send = h('button', { type: 'submit', class: 'send', 'aria-label': 'Send', title: 'Send' });
  send.append(icon(ICONS.send));
  const form = h(
    'form',
    { class: 'composer' },
    h('label', { for: 'pollybot-message', class: 'visually-hidden' }, 'Message'),
    field,
    send,
  );
  const submit = () => {
    const text = field.value.trim();
    if (!text || send.disabled) return;
    field.value = '';
    callbacks.onSend(text);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  field.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  root.replaceChildren(
    h(
      'header',
      { class: 'header' },
      avatar,
      title,
      iconButton('New conversation', ICONS.plus, callbacks.onNewConversation),
      iconButton('Close chat', ICONS.close, callbacks.onClose),
    ),
    log,
    notice,
    form,
  );
  let config: PanelConfig | undefined;

  return {
    log,
    field,
    configure(next: PanelConfig) {
      config = next;
      applyTheme(next);
      title.textContent = next.title;
      document.title = next.title;
      avatar.replaceChildren(
        next.avatarUrl
          ? h('img', { src: next.avatarUrl, alt: '' })
          : (next.title.trim()[0] ?? 'P').toUpperCase(),
      );
    },
    /** Empties the log and shows the welcome message and starter questions of a new conversation. */
    startOver() {
      log.replaceChildren();
      if (!config) return;
      if (config.welcomeMessage) {
        log.append(
          h(
            'div',
            { class: 'message assistant welcome' },
            h('p', { class: 'content', dir: 'auto' }, config.welcomeMessage),
          ),
        );
      }
      if (config.starterQuestions.length) {
        const starters = h('div', { class: 'starters' });
        for (const question of config.starterQuestions) {
          const button = h('button', { type: 'button', class: 'starter', dir: 'auto' }, question);
          button.addEventListener('click', () => {
            starters.remove();
            callbacks.onSend(question);
          });
          starters.append(button);
        }
        log.append(starters);
      }
    },
    append(element: HTMLElement) {
      log.querySelector('.starters')?.remove();
      log.append(element);
      log.scrollTop = log.scrollHeight;
    },
    scrollToEnd() {
      log.scrollTop = log.scrollHeight;
    },
    setBusy(busy: boolean) {
      send.disabled = busy || field.disabled;
      log.setAttribute('aria-busy', String(busy));
    },
    /** A panel that cannot chat (a required identity was refused) disables its composer. */
    setLocked(locked: boolean) {
      field.disabled = locked;
      send.disabled = locked;
    },
    showNotice(text: string | null) {
      notice.textContent = text ?? '';
      notice.hidden = !text;
    },
    focusField() {
      field.focus();
    },
  };
}

export type PanelView = ReturnType<typeof createPanelView>;
