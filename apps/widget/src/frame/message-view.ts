import type { ReplySource } from '@pollybot/contracts';
import { h, ICONS, icon } from './dom.ts';
import { isSafeLink, renderMarkdown } from './markdown.ts';

// One message of the conversation as the visitor sees it. A visitor's text is shown as typed; a reply is
// rendered from Markdown (markdown.ts), with its sources, a copy button and thumbs up/down once complete.

export type Rating = 'up' | 'down' | null;

export interface ReplyActions {
  onRate(messageId: string, rating: Rating): Promise<boolean>;
}

export function userMessage(text: string): HTMLElement {
  return h('div', { class: 'message user' }, h('p', { class: 'content', dir: 'auto' }, text));
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

function copyButton(label: string, read: () => string): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'icon-button', 'aria-label': label, title: label });
  button.append(icon(ICONS.copy));
  button.addEventListener('click', () => {
    navigator.clipboard?.writeText(read()).then(
      () => {
        button.dataset.copied = 'true';
        button.title = 'Copied';
      },
      () => undefined,
    );
  });
  return button;
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
