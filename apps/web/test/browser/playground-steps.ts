import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { FakeOpenAi } from '../../../server/test/helpers/fake-openai.ts';

// The playground steps of the dashboard suite (dashboard.test.ts), run in its browser after the chatbot was
// made: the message box's length against the limit, the built-in model explained where it is chosen, Stop
// cancelling on the server (before the first token and mid-stream) and saying what the server recorded, a
// double-click on Send that does not stop the reply, and the conversation kept in the URL: a reload and Back
// restore it, and a reply still being generated is resumed.

/** What the dashboard suite has set up by the time these steps run. */
export interface PlaygroundSession {
  page: Page;
  chatbotId: string;
  fake: FakeOpenAi;
  screenshot: (name: string) => Promise<void>;
  openFromSidebar: (label: string) => Promise<void>;
}

interface StoredMessage {
  role: string;
  content: string;
  status: string;
  usage: { credits: number } | null;
}

/** A promise to hold a fake reply with, and its release. */
function gate(): { until: Promise<void>; release: () => void } {
  let release = () => {};
  const until = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { until, release };
}

const HELD_REPLY = 'This answer should never be seen by anyone at all.';
const DOUBLE_CLICK_REPLY = 'A double-click sends the message once and lets the whole reply arrive.';
const STOPPED_REPLY = 'One two three four five six seven eight nine ten.';
const RESUMED_REPLY = 'Alpha bravo charlie delta echo foxtrot golf hotel.';

/** Registers the playground steps, in order, inside the calling `describe`. */
export function registerPlaygroundSteps(session: () => PlaygroundSession, stepTimeoutMs: number): void {
  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });
  const chatOf = (page: Page) => page.getByRole('region', { name: 'Conversation' });
  const balanceOf = (page: Page) =>
    page
      .getByRole('banner')
      .getByRole('link', { name: /credits?$/ })
      .textContent();
  /** A bubble's text as a reader sees it, without the hidden "Writing…" note. */
  const textOf = (bubble: Locator) =>
    bubble.evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const hidden of Array.from(copy.querySelectorAll('.visually-hidden'))) hidden.remove();
      return (copy.textContent ?? '').trim();
    });
  const conversationInUrl = (page: Page) =>
    new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '').get('conversation');

  /** The conversation's messages as the server stored them (the session cookie stands in for a key). */
  const storedMessages = (page: Page, chatbotId: string, conversationId: string) =>
    page.evaluate(
      async ([bot, conversation]) => {
        const response = await fetch(`/api/v1/chatbots/${bot}/conversations/${conversation}`);
        const body = (await response.json()) as { data: { messages: StoredMessage[] } };
        return body.data.messages;
      },
      [chatbotId, conversationId] as const,
    );

  /** Opens a blank playground conversation with the suite's chatbot. */
  async function openBlankPlayground(page: Page, chatbotId: string): Promise<void> {
    await page.goto(`/#/playground?chatbot=${encodeURIComponent(chatbotId)}`);
    await heading(page, 'Playground').waitFor();
    await chatOf(page).getByRole('textbox', { name: 'Message' }).waitFor();
  }

  it(
    'shows the message’s length against the 32,000-character limit, and explains the built-in model where it is chosen',
    async () => {
      const { page, chatbotId, openFromSidebar } = session();
      await openBlankPlayground(page, chatbotId);
      const chat = chatOf(page);
      const input = chat.getByRole('textbox', { name: 'Message' });
      const length = chat.locator('.composer__length');
      expect(await length.textContent()).toContain('0 / 32,000 characters');
      await input.fill('x'.repeat(32_001));
      await expect.poll(() => length.textContent()).toContain('32,001 / 32,000 characters');
      expect(await length.textContent()).toContain('1 over the limit');
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      expect(await chat.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
      // Characters are counted as the API counts them: an emoji is one.
      await input.fill('Hi 👋');
      await expect.poll(() => length.textContent()).toContain('4 / 32,000 characters');
      expect(await chat.getByRole('button', { name: 'Send' }).isDisabled()).toBe(false);
      await input.fill('');

      // The demo chatbot runs on the built-in model: its settings say what that model does and does not do.
      await openFromSidebar('Chatbots');
      await heading(page, 'Chatbots').waitFor();
      await page.getByRole('link', { name: 'PollyBot Demo', exact: true }).click();
      await heading(page, 'PollyBot Demo').waitFor();
      await page
        .getByText('does not remember the conversation', { exact: false })
        .waitFor({ state: 'visible' });
      expect(await page.getByRole('main').textContent()).toContain('answers from this chatbot’s knowledge');
    },
    stepTimeoutMs,
  );

  it(
    'Stop right after Send cancels the reply on the server as soon as it has an id, and says what the server recorded',
    async () => {
      const { page, chatbotId, fake } = session();
      await openBlankPlayground(page, chatbotId);
      const balance = Number((await balanceOf(page))?.replace(/\D/g, ''));
      const held = gate();
      // One word, then the provider holds the rest: the reply can only end by being cancelled.
      fake.queue({ text: HELD_REPLY, pauseAfterChunks: { count: 1, until: held.until } });
      const chat = chatOf(page);
      await chat.getByRole('textbox', { name: 'Message' }).fill('Please wait for me');
      await chat.getByRole('button', { name: 'Send' }).click();
      await chat.getByRole('button', { name: 'Stop' }).click();

      const reply = chat.locator('.bubble-row--assistant').last();
      await reply.locator('.bubble-meta').getByText('Stopped', { exact: true }).waitFor();
      await chat.getByRole('button', { name: 'Send' }).waitFor();
      held.release();

      // What the page says is what the server recorded: the reply stopped, with its text and its charge.
      const conversationId = conversationInUrl(page);
      expect(conversationId).toBeTruthy();
      const stored = await storedMessages(page, chatbotId, conversationId as string);
      expect(stored.map((message) => [message.role, message.status])).toEqual([
        ['user', 'complete'],
        ['assistant', 'incomplete'],
      ]);
      expect(await textOf(reply.locator('.bubble'))).toBe(stored[1]?.content.trim());
      const credits = stored[1]?.usage?.credits ?? 0;
      await expect
        .poll(() => reply.locator('.usage-line').textContent())
        .toMatch(new RegExp(`${credits} credits?$`));
      await expect
        .poll(async () => Number((await balanceOf(page))?.replace(/\D/g, '')))
        .toBe(balance - credits);
      await session().screenshot('playground-stopped-right-after-send');
    },
    stepTimeoutMs,
  );

  it(
    'a double-click on Send sends once and does not stop the reply',
    async () => {
      const { page, chatbotId, fake } = session();
      await openBlankPlayground(page, chatbotId);
      fake.queue({ text: DOUBLE_CLICK_REPLY, interTokenDelayMs: 20 });
      const requestsBefore = fake.requests.length;
      const chat = chatOf(page);
      await chat.getByRole('textbox', { name: 'Message' }).fill('Double-clicked');
      await chat.getByRole('button', { name: 'Send' }).dblclick();

      const reply = chat.locator('.bubble-row--assistant').last();
      await expect
        .poll(() => textOf(reply.locator('.bubble')), { timeout: stepTimeoutMs / 2 })
        .toBe(DOUBLE_CLICK_REPLY);
      await expect.poll(() => reply.locator('.usage-line').textContent()).toMatch(/1 credit$/);
      expect(await reply.getByText('Stopped').count()).toBe(0);
      expect(await chat.locator('.bubble-row--user').count()).toBe(1);
      expect(fake.requests.length).toBe(requestsBefore + 1);
    },
    stepTimeoutMs,
  );

  it(
    'a reply stopped mid-stream keeps its text, is marked stopped, and shows what it was charged',
    async () => {
      const { page, chatbotId, fake } = session();
      await openBlankPlayground(page, chatbotId);
      const held = gate();
      fake.queue({ text: STOPPED_REPLY, pauseAfterChunks: { count: 3, until: held.until } });
      const chat = chatOf(page);
      await chat.getByRole('textbox', { name: 'Message' }).fill('Count to ten');
      await chat.getByRole('button', { name: 'Send' }).click();
      const reply = chat.locator('.bubble-row--assistant').last();
      await expect.poll(() => textOf(reply.locator('.bubble'))).toBe('One two three');
      await chat.getByRole('button', { name: 'Stop' }).click();

      await reply.locator('.bubble-meta').getByText('Stopped', { exact: true }).waitFor();
      await expect.poll(() => reply.locator('.usage-line').textContent()).toMatch(/1 credit$/);
      held.release();
      expect(await textOf(reply.locator('.bubble'))).toBe('One two three');
      const stored = await storedMessages(page, chatbotId, conversationInUrl(page) as string);
      expect(stored.at(-1)).toMatchObject({ status: 'incomplete', content: 'One two three ' });

      // Reloaded, the stored reply is still marked stopped.
      await page.reload();
      const reloaded = chatOf(page).locator('.bubble-row--assistant').last();
      await reloaded.locator('.bubble-meta').getByText('Stopped', { exact: true }).waitFor();
      await session().screenshot('playground-stopped-mid-stream');
    },
    stepTimeoutMs,
  );

  it(
    'keeps the conversation in the URL: a reload resumes a reply still being generated, and Back returns to it',
    async () => {
      const { page, chatbotId, fake } = session();
      await openBlankPlayground(page, chatbotId);
      const held = gate();
      fake.queue({ text: RESUMED_REPLY, pauseAfterChunks: { count: 2, until: held.until } });
      const chat = chatOf(page);
      await chat.getByRole('textbox', { name: 'Message' }).fill('Spell the alphabet');
      await chat.getByRole('button', { name: 'Send' }).click();
      const reply = () => chatOf(page).locator('.bubble-row--assistant').last();
      await expect.poll(() => textOf(reply().locator('.bubble'))).toBe('Alpha bravo');
      const conversationId = conversationInUrl(page);
      expect(conversationId).toBeTruthy();

      // A reload mid-reply finds the conversation and follows the reply from where the server has it.
      await page.reload();
      await chatOf(page).getByText('Spell the alphabet').waitFor();
      await expect.poll(() => textOf(reply().locator('.bubble'))).toBe('Alpha bravo');
      await chatOf(page).getByRole('button', { name: 'Stop' }).waitFor();
      held.release();
      await expect
        .poll(() => textOf(reply().locator('.bubble')), { timeout: stepTimeoutMs / 2 })
        .toBe(RESUMED_REPLY);
      await expect.poll(() => reply().locator('.usage-line').textContent()).toMatch(/1 credit$/);
      expect(conversationInUrl(page)).toBe(conversationId);

      // New conversation is a new page; Back returns to this one, with its messages.
      await page.getByRole('button', { name: 'New conversation' }).click();
      await chatOf(page)
        .getByRole('heading', { name: /^Say hello to / })
        .waitFor();
      expect(conversationInUrl(page)).toBeNull();
      await page.goBack();
      await chatOf(page).getByText('Spell the alphabet').waitFor();
      await expect.poll(() => textOf(reply().locator('.bubble'))).toBe(RESUMED_REPLY);
      expect(conversationInUrl(page)).toBe(conversationId);
      await session().screenshot('playground-resumed');
    },
    stepTimeoutMs,
  );
}
