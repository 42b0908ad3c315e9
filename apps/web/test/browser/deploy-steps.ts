import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { ROOT } from '../../../server/test/helpers/server-process.ts';
import { findSidewaysOverflow } from './page-width.ts';

// The Deploy steps of the dashboard suite (dashboard.test.ts), run in its browser after the chatbot was
// made: a publishable key created for a site (after a line that is not an origin was pointed out), the
// embed snippet that carries it, the widget's title saved, an identity secret shown once, the page at a
// phone's width, and the key revoked.

/** What the dashboard suite has set up by the time these steps run. */
export interface DeploySession {
  page: Page;
  baseUrl: string;
  chatbotId: string;
  chatbotName: string;
  screenshotDirectory: string;
  screenshot: (name: string) => Promise<void>;
  openFromSidebar: (label: string) => Promise<void>;
}

const SITE = 'http://localhost:5173';
const OTHER_SITE = 'https://www.example.com';
/** Whether the server can serve the widget's panel, and so the Deploy page's live preview. */
const hasWidgetBuild = () => existsSync(join(ROOT, 'apps', 'widget', 'dist', 'frame.html'));
const WIDGET_TITLE = 'Acme help desk';
const KEY_NAME = 'Docs site';
const PHONE = { width: 390, height: 844 };

interface KeyView {
  key: string;
  name: string | null;
  allowedOrigins: string[];
  revokedAt: string | null;
}

/** An HS256 JWT, as a business's server signs one for its visitor (jose does the same in the docs). */
function signIdentityToken(secret: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** A visitor of SITE as the widget's panel is one: a session for the key, then one message, on loopback. */
async function chatAsVisitor(
  baseUrl: string,
  body: { key: string; identityToken?: string },
  message: string,
  rating?: 'up' | 'down',
): Promise<void> {
  const headers = { 'content-type': 'application/json', origin: SITE };
  const started = await fetch(`${baseUrl}/api/widget/v1/sessions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ ...body, origin: SITE }),
  });
  expect(started.status).toBe(201);
  const { token } = ((await started.json()) as { data: { token: string } }).data;
  const sent = await fetch(`${baseUrl}/api/widget/v1/chat`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${token}` },
    body: JSON.stringify({ message, stream: false }),
  });
  expect(sent.status).toBe(200);
  if (!rating) return;
  const { messageId } = ((await sent.json()) as { data: { messageId: string } }).data;
  const rated = await fetch(`${baseUrl}/api/widget/v1/messages/${messageId}/feedback`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${token}` },
    body: JSON.stringify({ rating }),
  });
  expect(rated.status).toBe(200);
}

/** Registers the Deploy steps, in order, inside the calling `describe`. */
export function registerDeploySteps(session: () => DeploySession, stepTimeoutMs: number): void {
  let identitySecret = '';
  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });
  const embedCard = (page: Page) =>
    page.getByRole('main').locator('section.card').filter({ hasText: 'Embed on your site' });

  /** The chatbot's publishable keys and widget settings, as the API answers them. */
  function readApi(page: Page, chatbotId: string) {
    return page.evaluate(async (id) => {
      const keys = await (await fetch(`/api/v1/chatbots/${id}/publishable-keys`)).json();
      const widget = await (await fetch(`/api/v1/chatbots/${id}/widget`)).json();
      return {
        keys: keys.data as KeyView[],
        widget: widget.data as { settings: { title: string }; hasIdentitySecret: boolean },
      };
    }, chatbotId);
  }

  it(
    'creates a publishable key for a site on the Deploy page, and shows the snippet that embeds it',
    async () => {
      const { page, baseUrl, chatbotId, chatbotName, screenshot, openFromSidebar } = session();
      await openFromSidebar('Chatbots');
      await heading(page, 'Chatbots').waitFor();
      await page
        .getByRole('row')
        .filter({ hasText: chatbotName })
        .getByRole('link', { name: `Deploy ${chatbotName} on a website` })
        .click();
      await heading(page, 'Deploy').waitFor();
      expect(page.url()).toBe(`${baseUrl}/#/chatbots/${chatbotId}/deploy`);

      const embed = embedCard(page);
      await embed.getByRole('heading', { name: 'Create a publishable key' }).waitFor();
      const origins = embed.getByLabel('Allowed origins');
      // A line that is not an origin is pointed out before anything is sent.
      await origins.fill('localhost:5173');
      await embed.getByRole('button', { name: 'Create publishable key' }).click();
      await embed.getByText('Line 1 (localhost:5173): Add the scheme: http://localhost:5173').waitFor();
      expect((await readApi(page, chatbotId)).keys).toEqual([]);

      await origins.fill(`${SITE}/`);
      await embed.getByLabel('Name').fill(KEY_NAME);
      await embed.getByRole('button', { name: 'Create publishable key' }).click();
      await page.getByRole('status').filter({ hasText: 'Publishable key created' }).waitFor();
      const code = embed.locator('code');
      await expect.poll(() => code.textContent()).toContain('data-chatbot="pk-chatbot_');
      const [key] = (await readApi(page, chatbotId)).keys;
      expect(key?.allowedOrigins).toEqual([SITE]);
      expect(key?.name).toBe(KEY_NAME);
      expect(key?.key).toMatch(/^pk-chatbot_[0-9A-Za-z]{32}$/);
      const snippet = `<script src="${baseUrl}/widget.js" data-chatbot="${key?.key}" async></script>`;
      expect(await code.textContent()).toBe(snippet);
      await embed.getByRole('button', { name: 'Copy' }).click();
      await embed.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);

      const row = page
        .getByRole('table', { name: 'Publishable keys' })
        .getByRole('row')
        .filter({ hasText: SITE });
      await row.getByText('Active').waitFor();
      expect(await row.getByText(key?.key ?? '-').count()).toBe(1);
      expect(await row.getByText(KEY_NAME).count()).toBe(1);
      await screenshot('deploy');

      // Another site is added to the key's list in its dialog; the snippet stays the same.
      await row.getByRole('button', { name: 'Edit origins' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit allowed origins' });
      const box = dialog.getByLabel('Allowed origins');
      expect(await box.inputValue()).toBe(SITE);
      await box.fill(`${SITE}\n${OTHER_SITE}`);
      await dialog.getByRole('button', { name: 'Save origins' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('status').filter({ hasText: 'Allowed origins saved' }).waitFor();
      await row.getByText(OTHER_SITE).waitFor();
      expect((await readApi(page, chatbotId)).keys[0]?.allowedOrigins).toEqual([SITE, OTHER_SITE]);
      expect(await code.textContent()).toBe(snippet);
    },
    stepTimeoutMs,
  );

  it(
    'saves the widget’s title, seen first in the live preview (when the widget is built), kept after a reload',
    async () => {
      const { page, chatbotId } = session();
      const title = page.getByLabel('Title', { exact: true });
      expect(await title.inputValue()).toBe('Chat with us');
      await title.fill(WIDGET_TITLE);
      await page.getByLabel('Messages per day').fill('0');
      await page.getByRole('button', { name: 'Save widget' }).click();
      await page.getByText('Between 1 and 10,000,000.').waitFor();
      await page.getByLabel('Messages per day').fill('500');
      if (hasWidgetBuild()) {
        // The live preview shows the unsaved title: the page posted it to the panel in its frame.
        await page.frameLocator('iframe[title="Widget preview"]').getByText(WIDGET_TITLE).first().waitFor();
      }
      await page.getByRole('button', { name: 'Save widget' }).click();
      await page.getByRole('status').filter({ hasText: 'Widget saved' }).waitFor();
      expect((await readApi(page, chatbotId)).widget.settings.title).toBe(WIDGET_TITLE);

      await page.reload();
      await heading(page, 'Deploy').waitFor();
      await expect.poll(() => page.getByLabel('Title', { exact: true }).inputValue()).toBe(WIDGET_TITLE);
      expect(await page.getByLabel('Messages per day').inputValue()).toBe('500');
      // The preview frames PollyBot's own preview page for this chatbot, or says why it cannot.
      const preview = page.getByRole('complementary', { name: 'Widget preview' });
      if (hasWidgetBuild()) {
        expect(await preview.locator('iframe').getAttribute('src')).toBe(
          `/widget/preview?chatbotId=${encodeURIComponent(chatbotId)}`,
        );
      } else {
        await preview.getByText('The preview shows once this server has the widget’s build').waitFor();
        expect(await preview.locator('iframe').count()).toBe(0);
      }
    },
    stepTimeoutMs,
  );

  it(
    'generates an identity secret shown once, then offers to rotate it',
    async () => {
      const { page, chatbotId, screenshot } = session();
      const card = page
        .getByRole('main')
        .locator('section.card')
        .filter({ hasText: 'Identity verification' });
      await card.getByRole('button', { name: 'Generate secret' }).click();
      const dialog = page.getByRole('dialog', { name: 'Your identity secret' });
      const field = dialog.getByRole('textbox', { name: 'Identity secret' });
      await field.waitFor();
      const secret = await field.inputValue();
      identitySecret = secret;
      expect(secret.length).toBeGreaterThanOrEqual(32);
      await dialog.getByText('Copy it now: it is shown only once').waitFor();
      await screenshot('deploy-identity-secret');
      await dialog.getByRole('button', { name: 'I have stored it safely' }).click();
      await dialog.waitFor({ state: 'hidden' });

      await card.getByRole('button', { name: 'Rotate secret' }).waitFor();
      await card.getByText('Secret set').waitFor();
      expect((await readApi(page, chatbotId)).widget.hasIdentitySecret).toBe(true);
      // Shown once: neither the page nor the API has it any more.
      expect(await page.content()).not.toContain(secret);
      expect(JSON.stringify(await readApi(page, chatbotId))).not.toContain(secret);
    },
    stepTimeoutMs,
  );

  it(
    'marks the widget’s conversations in the inbox, naming the visitor whose identity the site verified',
    async () => {
      const { page, baseUrl, chatbotId, screenshot, openFromSidebar } = session();
      await page.getByRole('button', { name: 'Optional', exact: true }).click();
      await page.getByRole('button', { name: 'Save widget' }).click();
      await page.getByRole('status').filter({ hasText: 'Widget saved' }).waitFor();
      const [key] = (await readApi(page, chatbotId)).keys;
      const identityToken = signIdentityToken(identitySecret, {
        sub: 'user-42',
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        aud: chatbotId,
        exp: Math.floor(Date.now() / 1000) + 3600,
      });
      await chatAsVisitor(baseUrl, { key: key?.key ?? '', identityToken }, 'Where is my order?', 'up');
      await chatAsVisitor(baseUrl, { key: key?.key ?? '' }, 'Do you ship abroad?');

      await openFromSidebar('Conversations');
      await heading(page, 'Conversations').waitFor();
      // Both end with the assistant's reply; the visitor tells them apart.
      const rows = page.locator('.inbox').getByRole('link');
      const verified = rows.filter({ hasText: 'Ada Lovelace' });
      const anonymous = rows.filter({ hasText: 'Anonymous visitor' });
      await verified.waitFor();
      expect(await verified.locator('.inbox__top').textContent()).toContain(
        'WidgetAda Lovelace (ada@example.com · user-42)verified',
      );
      expect(await anonymous.locator('.inbox__top').textContent()).toContain('WidgetAnonymous visitor');
      expect(await anonymous.getByText('verified', { exact: true }).count()).toBe(0);
      // Only those two are from the widget: the playground's conversations are not marked.
      expect(
        await page
          .locator('.inbox .badge')
          .filter({ hasText: /^Widget$/ })
          .count(),
      ).toBe(2);
      await screenshot('conversations-widget');
      // The conversation's page shows the same marker, and the visitor's thumbs on the reply.
      await verified.click();
      const header = page.locator('.page-header');
      await header.getByText('Ada Lovelace (ada@example.com · user-42)').waitFor();
      expect(
        await header
          .locator('.badge')
          .filter({ hasText: /^Widget$/ })
          .count(),
      ).toBe(1);
      await page.locator('.transcript__feedback').filter({ hasText: 'Helpful' }).waitFor();
      await screenshot('conversation-widget');
      await page.goBack();
      await heading(page, 'Conversations').waitFor();
      await page.goBack();
      await heading(page, 'Deploy').waitFor();
    },
    stepTimeoutMs,
  );

  it(
    'fits a phone’s width, then revokes the key, which brings back the first step',
    async () => {
      const { page, chatbotId, screenshotDirectory } = session();
      const viewport = page.viewportSize();
      await page.setViewportSize(PHONE);
      try {
        await heading(page, 'Deploy').waitFor();
        await expect.poll(() => page.evaluate(findSidewaysOverflow, PHONE.width)).toEqual([]);
        await page.screenshot({
          path: join(screenshotDirectory, 'deploy-390px.png'),
          fullPage: true,
          animations: 'disabled',
        });
        // Dark mode is the tokens' dark values: the page keeps fitting, and is kept as an artifact too.
        await page.emulateMedia({ colorScheme: 'dark' });
        await expect.poll(() => page.evaluate(findSidewaysOverflow, PHONE.width)).toEqual([]);
        await page.screenshot({
          path: join(screenshotDirectory, 'deploy-390px-dark.png'),
          fullPage: true,
          animations: 'disabled',
        });
      } finally {
        await page.emulateMedia({ colorScheme: null });
        if (viewport) await page.setViewportSize(viewport);
      }

      const row = page
        .getByRole('table', { name: 'Publishable keys' })
        .getByRole('row')
        .filter({ hasText: SITE });
      await row.getByRole('button', { name: 'Revoke' }).click();
      const confirm = page.getByRole('dialog', { name: 'Revoke this publishable key?' });
      await confirm.getByRole('button', { name: 'Revoke key' }).click();
      await confirm.waitFor({ state: 'hidden' });
      await row.getByText('Revoked').waitFor();
      expect(await row.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
      await embedCard(page).getByRole('heading', { name: 'Create a publishable key' }).waitFor();
      const [key] = (await readApi(page, chatbotId)).keys;
      expect(key?.revokedAt).not.toBeNull();
    },
    stepTimeoutMs,
  );
}
