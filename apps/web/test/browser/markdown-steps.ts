import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { FakeOpenAi } from '../../../server/test/helpers/fake-openai.ts';

// The Markdown steps of the dashboard suite (dashboard.test.ts): a reply's Markdown rendered, and kept
// inert, in the Playground and in its transcript; a failed reply's reason in the transcript; the inbox
// previewing the person's last message rather than the bot's reply.

/** What the dashboard suite has set up by the time these steps run. */
export interface MarkdownSession {
  page: Page;
  chatbotId: string;
  chatbotName: string;
  fake: FakeOpenAi;
  screenshot: (name: string) => Promise<void>;
  openFromSidebar: (label: string) => Promise<void>;
}

const QUESTION = 'Which plans do you offer, marmalade?';
const FAILED_QUESTION = 'And the marmalade discount?';
const CODE = 'curl -s https://api.example.test/plans';
// A reply with every kind of Markdown, and what a hostile prompt could make a model echo.
const MARKDOWN_REPLY = [
  'Here are our **plans**, in *short*:',
  '',
  '- Starter',
  '- Growth',
  '',
  '| Plan | Price |',
  '| --- | --- |',
  '| Starter | 9 euros |',
  '| Growth | 29 euros |',
  '',
  '```sh',
  CODE,
  '```',
  '',
  'See [the pricing page](https://example.test/pricing) or [this](javascript:window.__pwned=1).',
  '<img src=x onerror="window.__pwned=1"> <b>raw</b>',
].join('\n');

/** Checks one rendered reply: structure, a safe link, an inert one, and raw HTML shown as text. */
async function expectSafeMarkdown(page: Page, reply: Locator): Promise<void> {
  await expect.poll(() => reply.locator('table tbody tr').count()).toBe(2);
  expect(await reply.locator('strong').first().textContent()).toBe('plans');
  expect(await reply.locator('em').first().textContent()).toBe('short');
  expect(await reply.locator('ul > li').allTextContents()).toEqual(['Starter', 'Growth']);
  expect(await reply.locator('th').allTextContents()).toEqual(['Plan', 'Price']);
  expect(await reply.locator('pre code').textContent()).toBe(CODE);
  const link = reply.getByRole('link', { name: 'the pricing page' });
  expect(await link.getAttribute('href')).toBe('https://example.test/pricing');
  expect(await link.getAttribute('rel')).toContain('noopener');
  expect(await link.getAttribute('target')).toBe('_blank');
  // The javascript: link keeps its text but no href; the raw HTML is text, not elements.
  expect(await reply.locator('a:not([href])').first().textContent()).toBe('this');
  expect(await reply.locator('a[href^="javascript"], img, b, [onerror]').count()).toBe(0);
  expect(await reply.textContent()).toContain('<img src=x onerror="window.__pwned=1"> <b>raw</b>');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
}

/** Registers the Markdown steps, in order, inside the calling `describe`. */
export function registerMarkdownSteps(session: () => MarkdownSession, stepTimeoutMs: number): void {
  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });
  /** The code the playground showed for the failed reply, which its transcript must show too. */
  let failedCode = '';

  it(
    'renders a reply’s Markdown in the playground, safely, with a Copy button on its code',
    async () => {
      const { page, chatbotName, fake, screenshot, openFromSidebar } = session();
      await openFromSidebar('Playground');
      await heading(page, 'Playground').waitFor();
      await page.getByLabel('Chatbot').selectOption({ label: chatbotName });
      const newConversation = page.getByRole('button', { name: 'New conversation' });
      if (await newConversation.isEnabled()) await newConversation.click();
      await page.getByRole('heading', { name: `Say hello to ${chatbotName}` }).waitFor();
      const chat = page.getByRole('region', { name: 'Conversation' });
      fake.queue({ text: MARKDOWN_REPLY, interTokenDelayMs: 5 });
      await chat.getByRole('textbox', { name: 'Message' }).fill(QUESTION);
      await chat.getByRole('button', { name: 'Send' }).click();

      const reply = chat.locator('.bubble-row--assistant').last();
      await reply.locator('.usage-line').waitFor();
      await expectSafeMarkdown(page, reply.locator('.bubble'));
      await reply.getByRole('button', { name: 'Copy' }).click();
      await reply.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(CODE);
      // A user's message stays plain text.
      expect(await chat.locator('.bubble--user').last().textContent()).toBe(QUESTION);
      await screenshot('playground-markdown');

      // A second reply breaks off mid-stream at the provider: the transcript will say why.
      fake.queue({
        text: 'The discount is ten percent for members',
        failAfterChunks: { count: 2, how: 'end' },
      });
      await chat.getByRole('textbox', { name: 'Message' }).fill(FAILED_QUESTION);
      await chat.getByRole('button', { name: 'Send' }).click();
      failedCode = (await chat.getByRole('alert').locator('code').textContent()) ?? '';
      expect(failedCode).toMatch(/^AI_PROVIDER_/);
    },
    stepTimeoutMs,
  );

  it(
    'previews the person’s last message in the inbox, and renders the transcript’s Markdown and failure',
    async () => {
      const { page, chatbotId, chatbotName, screenshot, openFromSidebar } = session();
      await openFromSidebar('Conversations');
      await heading(page, 'Conversations').waitFor();
      await page.getByRole('searchbox', { name: 'Search messages' }).fill('marmalade');
      const row = page.locator('.inbox').getByRole('link').filter({ hasText: chatbotName });
      await expect.poll(() => row.count()).toBe(1);
      // The last message is the failed reply; the preview is the question before it.
      expect(await row.locator('.inbox__preview').textContent()).toBe(`User: ${FAILED_QUESTION}`);
      await screenshot('conversations-preview');

      await row.click();
      await heading(page, `Conversation with ${chatbotName}`).waitFor();
      expect(page.url()).toContain(`#/conversations/${chatbotId}/`);
      const items = page.locator('.transcript__item');
      await expect.poll(() => items.count()).toBe(4);
      await expectSafeMarkdown(page, items.nth(1).locator('.transcript__content'));
      expect(await items.nth(1).getByRole('button', { name: 'Copy' }).count()).toBe(1);
      const failed = items.nth(3);
      await expect.poll(() => failed.locator('.transcript__status').textContent()).toBe('failed');
      const why = failed.locator('.transcript__error');
      expect(await why.locator('code').textContent()).toBe(failedCode);
      expect(await why.textContent()).toMatch(/^Why it failed: \w/);
      await screenshot('conversation-markdown');
    },
    stepTimeoutMs,
  );
}
