import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { FakeOpenAi } from '../../../server/test/helpers/fake-openai.ts';

// The knowledge steps of the dashboard suite (dashboard.test.ts), run in its browser after the chatbot
// was made: sources of every kind added on the knowledge page, followed until ready or failed, re-synced,
// viewed and deleted; a fallback message saved; and a playground reply citing the source it drew on.

/** What the dashboard suite has set up by the time these steps run. */
export interface DashboardSession {
  page: Page;
  baseUrl: string;
  chatbotId: string;
  chatbotName: string;
  fake: FakeOpenAi;
  /** A temporary directory for files to upload. */
  workDirectory: string;
  screenshot: (name: string) => Promise<void>;
  openFromSidebar: (label: string) => Promise<void>;
  bubbleText: (bubble: Locator) => Promise<string>;
}

const TEXT_TITLE = 'Opening hours';
const TEXT_CONTENT =
  '# Opening hours\nOn weekdays the shop opens at 9am and closes at 6pm. On Saturdays the shop opens at 10am ' +
  'and closes at 4pm. On Sundays and public holidays the shop is closed.\n\n# Where to find us\nThe shop is ' +
  'at 12 Harbour Street, next to the fish market.';
const QA_TITLE = 'Store FAQ';
const QA_PAIRS = [
  { question: 'Do you have parking?', answer: 'Yes, behind the shop, free for customers.' },
  { question: 'Can I bring my dog?', answer: 'Dogs on a lead are welcome.' },
];
const FILE_NAME = 'shipping-policy.md';
const FILE_CONTENT =
  '# Shipping\nWe ship worldwide within five business days. Shipping is free for orders above 50 euros.\n';
const PAGE_TITLE = 'Internal wiki';
const FALLBACK_MESSAGE = 'I do not know that yet. Our team answers at help@acme.example within a day.';
const KNOWLEDGE_QUESTION = 'What are the opening hours on Saturdays?';
const KNOWLEDGE_REPLY = 'On Saturdays we are open from 10am to 4pm.';

/** Registers the knowledge steps, in order, inside the calling `describe`. */
export function registerKnowledgeSteps(session: () => DashboardSession, stepTimeoutMs: number): void {
  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });

  /** The knowledge page's row of the source with this title. */
  const sourceRow = (page: Page, title: string) =>
    page.getByRole('main').getByRole('row').filter({ hasText: title });

  /** Opens "Add knowledge" on the knowledge page at the given tab; resolves to the visible panel. */
  async function openAddKnowledge(page: Page, tab: string): Promise<{ dialog: Locator; panel: Locator }> {
    await page.getByRole('main').getByRole('button', { name: 'Add knowledge' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add knowledge' });
    await dialog.getByRole('tab', { name: tab }).click();
    expect(await dialog.getByRole('tab', { name: tab }).getAttribute('aria-selected')).toBe('true');
    return { dialog, panel: dialog.getByRole('tabpanel') };
  }

  /** The titles and update times of the chatbot's sources, as the API lists them. */
  function listSources(page: Page, chatbotId: string) {
    return page.evaluate(async (id) => {
      const response = await fetch(`/api/v1/chatbots/${id}/knowledge?limit=100`);
      return ((await response.json()) as { data: Array<{ title: string; updatedAt: string }> }).data;
    }, chatbotId);
  }

  it(
    'adds a text and a Q&A source on the knowledge page, and sees both become ready',
    async () => {
      const { page, baseUrl, chatbotId, chatbotName, screenshot, openFromSidebar } = session();
      await openFromSidebar('Chatbots');
      await heading(page, 'Chatbots').waitFor();
      await page
        .getByRole('row')
        .filter({ hasText: chatbotName })
        .getByRole('link', { name: `Knowledge of ${chatbotName}` })
        .click();
      await heading(page, 'Knowledge').waitFor();
      expect(page.url()).toBe(`${baseUrl}/#/chatbots/${chatbotId}/knowledge`);
      await page.getByRole('heading', { name: 'No knowledge yet' }).waitFor();

      const text = await openAddKnowledge(page, 'Text or Markdown');
      await text.panel.getByLabel('Title').fill(TEXT_TITLE);
      await text.panel.getByLabel('Text', { exact: true }).fill(TEXT_CONTENT);
      await screenshot('knowledge-add-text');
      await text.dialog.getByRole('button', { name: 'Add text' }).click();
      await text.dialog.waitFor({ state: 'hidden' });
      const textRow = sourceRow(page, TEXT_TITLE);
      await textRow.getByText('Ready', { exact: true }).waitFor();
      await expect.poll(() => textRow.locator('.source-status').textContent()).toMatch(/^Ready\d+ chunks?$/);
      expect(await textRow.getByRole('cell').nth(1).textContent()).toBe('Text');

      const qa = await openAddKnowledge(page, 'Q&A');
      // A pair left empty is pointed out before anything is sent.
      await qa.panel.getByLabel('Title').fill(QA_TITLE);
      await qa.dialog.getByRole('button', { name: 'Add Q&A' }).click();
      await qa.panel.getByText('Write the question, or remove this pair.').waitFor();
      for (const [index, pair] of QA_PAIRS.entries()) {
        if (index > 0) await qa.panel.getByRole('button', { name: 'Add a pair' }).click();
        const group = qa.panel.getByRole('group', { name: `Pair ${index + 1}` });
        await group.getByLabel('Question').fill(pair.question);
        await group.getByLabel('Answer').fill(pair.answer);
      }
      await screenshot('knowledge-add-qa');
      await qa.dialog.getByRole('button', { name: 'Add Q&A' }).click();
      await qa.dialog.waitFor({ state: 'hidden' });
      const qaRow = sourceRow(page, QA_TITLE);
      await qaRow.getByText('Ready', { exact: true }).waitFor();
      await expect.poll(() => qaRow.locator('.source-status').textContent()).toBe('Ready2 chunks');
      expect(await qaRow.locator('.table__sub').textContent()).toBe('2 pairs');
    },
    stepTimeoutMs,
  );

  it(
    'uploads a Markdown file that becomes ready, and shows why a web page on a private address failed',
    async () => {
      const { page, baseUrl, workDirectory, screenshot } = session();
      const file = join(workDirectory, FILE_NAME);
      writeFileSync(file, FILE_CONTENT);
      const upload = await openAddKnowledge(page, 'Upload a file');
      await upload.panel.getByLabel('File').setInputFiles(file);
      await upload.panel.getByText(`${FILE_NAME} · ${Buffer.byteLength(FILE_CONTENT)} bytes`).waitFor();
      await screenshot('knowledge-add-file');
      await upload.dialog.getByRole('button', { name: 'Upload file' }).click();
      await upload.dialog.waitFor({ state: 'hidden' });
      // No title given: the file's name without its extension.
      const fileRow = sourceRow(page, FILE_NAME);
      expect(await fileRow.locator('.table__strong').textContent()).toBe('shipping-policy');
      await fileRow.getByText('Ready', { exact: true }).waitFor();
      expect(await fileRow.getByRole('cell').nth(1).textContent()).toBe('File');

      // The server refuses private network addresses unless its operator allows them: the import is
      // accepted, then fails in the background, and the reason shows in the list.
      const pageUrl = `${baseUrl}/docs`;
      const web = await openAddKnowledge(page, 'Web page or sitemap');
      await web.panel.getByLabel('Address', { exact: true }).fill(pageUrl);
      await web.panel.getByLabel('This page').check();
      await web.panel.getByLabel('Title').fill(PAGE_TITLE);
      await screenshot('knowledge-add-url');
      await web.dialog.getByRole('button', { name: 'Import' }).click();
      await web.dialog.waitFor({ state: 'hidden' });
      const webRow = sourceRow(page, PAGE_TITLE);
      expect(await webRow.locator('.table__sub').textContent()).toBe(pageUrl);
      await webRow.getByText('Failed', { exact: true }).waitFor();
      expect(await webRow.locator('.source-status__error').textContent()).toContain(
        'not an address on the public internet',
      );
      // The header row and the four sources.
      expect(await page.getByRole('main').getByRole('row').count()).toBe(5);
      await screenshot('knowledge');
    },
    stepTimeoutMs,
  );

  it(
    're-syncs the text source, shows what it holds, and deletes the Q&A source through the dialog',
    async () => {
      const { page, chatbotId, screenshot } = session();
      const textRow = sourceRow(page, TEXT_TITLE);
      const textUpdatedAt = async () =>
        (await listSources(page, chatbotId)).find((source) => source.title === TEXT_TITLE)?.updatedAt;
      const before = await textUpdatedAt();
      await textRow.getByRole('button', { name: 'Re-sync' }).click();
      await page.getByRole('status').filter({ hasText: 'Re-sync queued' }).waitFor();
      await textRow.getByText('Ready', { exact: true }).waitFor();
      await expect.poll(textUpdatedAt).not.toBe(before);

      await textRow.getByRole('button', { name: 'View' }).click();
      const view = page.getByRole('dialog', { name: TEXT_TITLE });
      await expect.poll(() => view.locator('.source-preview').textContent()).toBe(TEXT_CONTENT);
      await screenshot('knowledge-view');
      await view.locator('.dialog__footer').getByRole('button', { name: 'Close' }).click();
      await view.waitFor({ state: 'hidden' });

      await sourceRow(page, QA_TITLE)
        .getByRole('button', { name: `Delete ${QA_TITLE}` })
        .click();
      const confirm = page.getByRole('dialog', { name: `Delete “${QA_TITLE}”?` });
      await confirm.waitFor();
      await screenshot('knowledge-delete');
      await confirm.getByRole('button', { name: 'Delete source' }).click();
      await confirm.waitFor({ state: 'hidden' });
      await page.getByRole('status').filter({ hasText: 'Source deleted' }).waitFor();
      await expect.poll(() => sourceRow(page, QA_TITLE).count()).toBe(0);
      const titles = (await listSources(page, chatbotId)).map((source) => source.title);
      expect(titles.sort()).toEqual([PAGE_TITLE, TEXT_TITLE, 'shipping-policy'].sort());
    },
    stepTimeoutMs,
  );

  it(
    'saves a fallback message on the chatbot, kept after a reload',
    async () => {
      const { page, chatbotName, screenshot } = session();
      await page.getByRole('link', { name: `${chatbotName} settings` }).click();
      await heading(page, chatbotName).waitFor();
      const fallback = page.getByLabel('Fallback message');
      expect(await fallback.inputValue()).toBe('');
      await fallback.fill(FALLBACK_MESSAGE);
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('status').filter({ hasText: 'Changes saved' }).waitFor();
      await page.reload();
      await heading(page, chatbotName).waitFor();
      expect(await page.getByLabel('Fallback message').inputValue()).toBe(FALLBACK_MESSAGE);
      await screenshot('chatbot-fallback');
    },
    stepTimeoutMs,
  );

  it(
    'cites the text source under a playground reply drawn from it',
    async () => {
      const { page, chatbotName, fake, screenshot, bubbleText } = session();
      await page.getByRole('main').getByRole('link', { name: 'Open playground' }).click();
      await heading(page, 'Playground').waitFor();
      await page.getByRole('heading', { name: `Say hello to ${chatbotName}` }).waitFor();
      const chat = page.getByRole('region', { name: 'Conversation' });
      fake.queue({ text: KNOWLEDGE_REPLY, interTokenDelayMs: 20 });
      await chat.getByRole('textbox', { name: 'Message' }).fill(KNOWLEDGE_QUESTION);
      await chat.getByRole('button', { name: 'Send' }).click();

      const reply = chat.locator('.bubble-row--assistant').last();
      await expect.poll(() => bubbleText(reply.locator('.bubble'))).toBe(KNOWLEDGE_REPLY);
      const citations = reply.getByRole('list', { name: 'Sources' }).getByRole('listitem');
      await expect.poll(() => citations.count()).toBe(1);
      expect(await citations.first().locator('.citation__title').textContent()).toBe(TEXT_TITLE);
      expect(await citations.first().getAttribute('title')).toContain('Saturdays');

      // The model was handed the passage, and told to answer with the fallback message when it does not help.
      const system = fake.requests.at(-1)?.body.messages[0];
      expect(system?.role).toBe('system');
      expect(system?.content).toContain('<knowledge>');
      expect(system?.content).toContain('On Saturdays the shop opens at 10am');
      expect(system?.content).toContain(JSON.stringify(FALLBACK_MESSAGE));
      await screenshot('playground-citation');
    },
    stepTimeoutMs,
  );
}
