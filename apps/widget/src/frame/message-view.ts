import type { ReplySource } from '@pollybot/contracts';
import { h, ICONS, icon } from './dom.ts';
import { isSafeLink, renderMarkdown } from './markdown.ts';

// One message of the conversation as the visitor sees it. A visitor's text is shown as typed; a reply is
// rendered from Markdown (markdown.ts), with its sources, a copy button and thumbs up/down once complete.

export type Rating = 'up' | 'down' | null;

export interface ReplyActions {
  onRate(messageId: string, rating: Rating): Promise<boolean>;
}

/**
 * A visitor's message. Sent from the composer it starts `pending` and is shown as sent only once the server
 * accepted it; a refused one is marked "Not sent" with a "Retry" button.
 */
export function userMessage(text: string, state: 'pending' | 'sent' = 'sent') {
  const element = h(
    'div',
    { class: 'message user', 'data-state': state },
    h('p', { class: 'content', dir: 'auto' }, text),
  );
  return {
    element,
    sent() {
      element.dataset.state = 'sent';
    },
    failed(onRetry: () => void) {
      element.dataset.state = 'failed';
      const retry = h('button', { type: 'button', class: 'retry' }, 'Retry');
      retry.addEventListener('click', () => {
        element.remove();
        onRetry();
      });
      element.append(h('p', { class: 'failed' }, h('span', {}, 'Not sent'), ' ', retry));
    },
  };
}

/** A reply's bubble; `update` re-renders its text as it streams, `complete` adds sources and actions. */
export function replyMessage(actions: ReplyActions) {
  const content = h('div', { class: 'content', dir: 'auto' });
  const element = h('div', { class: 'message assistant' }, content);
  let text = '';
  return {
    element,
    get text() {
      return text;
    },
    update(next: string) {
      text = next;
      content.replaceChildren(renderMarkdown(next));
      for (const block of content.querySelectorAll('pre')) addCodeCopy(block);
    },
    complete(messageId: string, sources: ReplySource[] | undefined, feedback: Rating) {
      if (sources?.length) element.append(sourceList(sources));
      element.append(replyToolbar(messageId, () => text, feedback, actions));
    },
  };
}

function sourceList(sources: ReplySource[]): HTMLElement {
  const items = sources.map((source) =>
    h(
      'li',
      {},
      source.url && isSafeLink(source.url)
        ? h('a', { href: source.url, target: '_blank', rel: 'noopener noreferrer' }, source.title)
        : source.title,
    ),
  );
  return h('div', { class: 'sources' }, h('p', { class: 'sources-title' }, 'Sources'), h('ul', {}, ...items));
}

/** A copy button and, beside it, a "Copied" that is shown (and announced) for a moment after a copy. */
function copyButton(label: string, read: () => string): HTMLElement {
  const button = h('button', { type: 'button', class: 'icon-button', 'aria-label': label, title: label });
  button.append(icon(ICONS.copy));
  const status = h('span', { class: 'copied', role: 'status' });
  let timer = 0;
  button.addEventListener('click', () => {
    navigator.clipboard?.writeText(read()).then(
      () => {
        button.dataset.copied = 'true';
        status.textContent = 'Copied';
        clearTimeout(timer);
        timer = window.setTimeout(() => {
          status.textContent = '';
          delete button.dataset.copied;
        }, 2_000);
      },
      () => undefined,
    );
  });
  return h('span', { class: 'copy' }, button, status);
}

function addCodeCopy(block: HTMLPreElement): void {
  block.before(copyButton('Copy code', () => block.textContent ?? ''));
}

function replyToolbar(messageId: string, read: () => string, initial: Rating, actions: ReplyActions) {
  let rating = initial;
  const rate = (value: 'up' | 'down', label: string) => {
    const button = h('button', {
      type: 'button',
      class: 'icon-button',
      'aria-label': label,
      title: label,
      'aria-pressed': String(rating === value),
    });
    button.append(icon(value === 'up' ? ICONS.up : ICONS.down));
    button.addEventListener('click', async () => {
      const next = rating === value ? null : value;
      if (!(await actions.onRate(messageId, next))) return;
      rating = next;
      up.setAttribute('aria-pressed', String(rating === 'up'));
      down.setAttribute('aria-pressed', String(rating === 'down'));
    });
    return button;
  };
  const up = rate('up', 'Helpful');
  const down = rate('down', 'Not helpful');
  return h('div', { class: 'actions' }, copyButton('Copy reply', read), up, down);
}
