import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { SignJWT } from 'jose';
import { type Browser, type BrowserContext, chromium, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deferred } from '../../../server/test/helpers/deferred.ts';
import type { FakeOpenAi } from '../../../server/test/helpers/fake-openai.ts';
import { ROOT } from '../../../server/test/helpers/server-process.ts';
import { callPollyBot, clickLauncher, findLauncher, panelFrame } from './widget-helpers.ts';
import { startWidgetWorld, type WidgetWorld } from './widget-world.ts';

// The widget on a customer's page, in Debian's Chromium: the real server process serves widget.js and the
// panel, a second loopback origin (http://localhost:<port>) serves the host page, and the same page from
// http://127.0.0.1:<port> is an origin the key does not allow. Only the AI provider is a fake, on loopback.
// Screenshots are kept in test-results/screenshots/widget-*.png.

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const QUESTION = 'When do you open on Saturdays?';
const REPLY = 'On **Saturdays** we open at 10am.\n\n- Workshop: 10am to 4pm\n- Shop: 10am to 6pm';
const HOSTILE_REPLY =
  'Careful <img src="x" onerror="document.title=\'pwned\'"> and [a trap](javascript:alert(1)) and ' +
  '[the manual](https://example.com/manual) <script>document.title="pwned"</script>';
const STEP_TIMEOUT_MS = 60_000;

describe.skipIf(!hasChromium)(
  hasChromium
    ? 'the website widget in Chromium, on a host page of another origin'
    : `the website widget in Chromium (skipped: ${CHROMIUM} is missing; install Debian's chromium)`,
  () => {
    let world: WidgetWorld | undefined;
    let fake: FakeOpenAi;
    let serverUrl = '';
    let allowedPage = '';
    let refusedPage = '';
    let browser: Browser | undefined;
    let page: Page;
    let chatbotId = '';
    let key = '';
    let conversationId = '';
    const dialogs: string[] = [];
    const requestOrigins = new Set<string>();

    const screenshot = (target: Page, name: string) =>
      target.screenshot({ path: join(SCREENSHOTS, `widget-${name}.png`), animations: 'disabled' });

    async function newVisitor(viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
      const visitorContext = await (browser as Browser).newContext({ viewport });
      const visitorPage = await visitorContext.newPage();
      visitorPage.on('request', (request) => {
        const url = new URL(request.url());
        if (url.protocol === 'http:' || url.protocol === 'https:') requestOrigins.add(url.origin);
      });
      visitorPage.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      return { context: visitorContext, page: visitorPage };
    }

    /** Opens the panel with the launcher and waits until it shows its message field. */
    async function openPanel(target: Page): Promise<Frame> {
      await expect.poll(() => findLauncher(target), { timeout: 15_000 }).toBeTruthy();
      await clickLauncher(target);
      await expect.poll(() => panelFrame(target), { timeout: 15_000 }).toBeTruthy();
      const frame = panelFrame(target) as Frame;
      await frame.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 15_000 });
      return frame;
    }

    const replies = (frame: Frame) => frame.locator('.message.assistant:not(.welcome)');

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      for (const file of readdirSync(SCREENSHOTS)) {
        if (file.startsWith('widget-')) rmSync(join(SCREENSHOTS, file));
      }
      world = await startWidgetWorld(REPLY);
      ({ fake, serverUrl, chatbotId, key, allowedPage, refusedPage } = world);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      });
      ({ page } = await newVisitor());
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await world?.close();
    });

    it(
      'shows a launcher named "Open chat" on an allowed page, and downloads the panel only when it is opened',
      async () => {
        await page.goto(`${allowedPage}/`);
        await expect
          .poll(() => findLauncher(page), { timeout: 15_000 })
          .toMatchObject({ width: 56, height: 56 });
        expect(
          await page.evaluate(() => (window as unknown as { widgetEvents: { type: string }[] }).widgetEvents),
        ).toContainEqual({ type: 'ready' });
        expect(panelFrame(page)).toBeUndefined();
        expect([...requestOrigins].some((origin) => origin === serverUrl)).toBe(true);
        await screenshot(page, 'launcher');
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'opens the panel and streams a reply with its citation, telling the page about it',
      async () => {
        const frame = await openPanel(page);
        await expect.poll(() => frame.getByText('Hi! Ask me about our shop.').count()).toBe(1);
        await screenshot(page, 'panel-light-desktop');

        const held = deferred();
        fake.queue({ text: REPLY, pauseAfterChunks: { count: 3, until: held.promise } });
        await frame.getByRole('textbox', { name: 'Message' }).fill(QUESTION);
        await frame.getByRole('button', { name: 'Send' }).click();
        // Part of the reply is on screen while the model is still held mid-reply: it streams.
        await expect
          .poll(() => replies(frame).first().textContent(), { timeout: 15_000 })
          .toContain('Saturdays');
        expect(await replies(frame).first().textContent()).not.toContain('Workshop');
        expect(await frame.locator('[aria-live="polite"]').count()).toBe(1);
        held.resolve();
        await expect
          .poll(() => replies(frame).first().textContent(), { timeout: 15_000 })
          .toContain('Shop: 10am to 6pm');
        const reply = replies(frame).first();
        await expect.poll(() => reply.locator('.sources').textContent()).toContain('Opening hours');
        expect(await reply.locator('strong').textContent()).toBe('Saturdays');
        expect(await reply.getByRole('button', { name: 'Copy reply' }).count()).toBe(1);
        await screenshot(page, 'panel-reply-light-desktop');

        const messages = await page.evaluate(() =>
          (
            window as unknown as {
              widgetEvents: {
                type: string;
                message?: { role: string; conversationId: string; content: string };
              }[];
            }
          ).widgetEvents.filter((event) => event.type === 'message'),
        );
        expect(messages.map((event) => event.message?.role)).toEqual(['user', 'assistant']);
        conversationId = messages[1]?.message?.conversationId ?? '';
        expect(conversationId).not.toBe('');

        const helpful = reply.getByRole('button', { name: 'Helpful', exact: true });
        await helpful.click();
        await expect.poll(() => helpful.getAttribute('aria-pressed')).toBe('true');
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'keeps the conversation across a reload, and resumes a reply the reload cut off',
      async () => {
        await page.reload();
        let frame = await openPanel(page);
        await expect.poll(() => frame.getByText(QUESTION).count(), { timeout: 15_000 }).toBe(1);
        await expect.poll(() => replies(frame).first().textContent()).toContain('Shop: 10am to 6pm');
        // The thumbs up given before the reload is still pressed: it was stored on the message.
        expect(
          await replies(frame)
            .first()
            .getByRole('button', { name: 'Helpful', exact: true })
            .getAttribute('aria-pressed'),
        ).toBe('true');

        const held = deferred();
        fake.queue({
          text: 'Second answer: we also open on Sundays at noon.',
          pauseAfterChunks: { count: 2, until: held.promise },
        });
        await frame.getByRole('textbox', { name: 'Message' }).fill('And on Sundays?');
        await frame.getByRole('button', { name: 'Send' }).click();
        await expect.poll(() => replies(frame).nth(1).textContent(), { timeout: 15_000 }).toContain('Second');
        await page.reload();
        frame = await openPanel(page);
        await expect.poll(() => frame.getByText('And on Sundays?').count(), { timeout: 15_000 }).toBe(1);
        held.resolve();
        await expect
          .poll(() => replies(frame).nth(1).textContent(), { timeout: 15_000 })
          .toContain('we also open on Sundays at noon.');
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'renders model output with <img onerror>, <script> and javascript: links inert',
      async () => {
        const frame = panelFrame(page) as Frame;
        fake.queue({ text: HOSTILE_REPLY });
        await frame.getByRole('textbox', { name: 'Message' }).fill('Show me the manual');
        await frame.getByRole('button', { name: 'Send' }).click();
        const reply = replies(frame).nth(2);
        await expect.poll(() => reply.locator('.actions').count(), { timeout: 15_000 }).toBe(1);
        expect(await frame.locator('.log img, .log script').count()).toBe(0);
        const trap = reply.getByText('a trap');
        expect(await trap.getAttribute('href')).toBeNull();
        const manual = reply.getByRole('link', { name: 'the manual' });
        expect(await manual.getAttribute('href')).toBe('https://example.com/manual');
        expect(await manual.getAttribute('target')).toBe('_blank');
        expect(await manual.getAttribute('rel')).toBe('noopener noreferrer');
        await trap.click();
        expect(await frame.evaluate(() => document.title)).toBe('Acme Bikes');
        expect(await page.title()).toBe('Acme Bikes');
        expect(dialogs).toEqual([]);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'passes an axe check of the open panel with no serious or critical violation',
      async () => {
        const frame = panelFrame(page) as Frame;
        // Evaluated through the DevTools protocol, which the frame's script-src 'self' does not govern.
        await frame.evaluate(axe.source);
        const violations = await frame.evaluate(async () => {
          const result = await (window as unknown as { axe: typeof axe }).axe.run(document);
          return result.violations.map(({ id, impact, nodes }) => ({
            id,
            impact,
            targets: nodes.map((node) => node.target),
          }));
        });
        expect(
          violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical'),
        ).toEqual([]);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'closes on Esc with focus back on the launcher, and answers the page’s JavaScript API',
      async () => {
        const frame = panelFrame(page) as Frame;
        await frame.getByRole('textbox', { name: 'Message' }).focus();
        // The focus trap: Tab and Shift+Tab go round the panel's controls and never leave it.
        const focusIsInPanel = () =>
          frame.evaluate(
            () => document.hasFocus() && document.activeElement?.closest('#pollybot-panel') !== null,
          );
        for (const key of [...Array(12).fill('Tab'), ...Array(12).fill('Shift+Tab')] as string[]) {
          await page.keyboard.press(key);
          expect(await focusIsInPanel()).toBe(true);
        }
        await page.keyboard.press('Escape');
        await expect.poll(async () => (await findLauncher(page))?.focused).toBe(true);
        expect(await frame.frameElement().then((element) => element.isVisible())).toBe(false);

        await callPollyBot(page, 'open');
        await expect.poll(() => frame.frameElement().then((element) => element.isVisible())).toBe(true);
        expect((await findLauncher(page))?.expanded).toBe(true);
        await callPollyBot(page, 'toggle');
        await expect.poll(() => frame.frameElement().then((element) => element.isVisible())).toBe(false);
        const events = await page.evaluate(() =>
          (window as unknown as { widgetEvents: { type: string }[] }).widgetEvents.map((event) => event.type),
        );
        expect(events.filter((type) => type === 'open' || type === 'close').slice(-2)).toEqual([
          'open',
          'close',
        ]);

        await callPollyBot(page, 'open');
        await frame.getByRole('button', { name: 'New conversation' }).click();
        expect(await replies(frame).count()).toBe(0);
        await expect.poll(() => frame.getByText('Hi! Ask me about our shop.').count()).toBe(1);

        // reset forgets the visitor: after a reload the panel is a new visitor's, without the conversation.
        await callPollyBot(page, 'reset');
        await expect.poll(() => frame.getByText('Hi! Ask me about our shop.').count()).toBe(1);
        await page.reload();
        const fresh = await openPanel(page);
        await expect.poll(() => fresh.getByText('Hi! Ask me about our shop.').count()).toBe(1);
        expect(await fresh.getByText(QUESTION).count()).toBe(0);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'shows nothing on a page whose origin is not on the key’s list',
      async () => {
        const refused = await newVisitor();
        const warnings: string[] = [];
        refused.page.on('console', (message) => {
          if (message.type() === 'warning') warnings.push(message.text());
        });
        await refused.page.goto(`${refusedPage}/`);
        await expect
          .poll(() => warnings.some((text) => text.startsWith('PollyBot:')), { timeout: 15_000 })
          .toBe(true);
        expect(await findLauncher(refused.page)).toBeUndefined();
        expect(await refused.page.locator('#pollybot-widget').count()).toBe(0);
        expect(panelFrame(refused.page)).toBeUndefined();
        await refused.context.close();
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'does not show one visitor’s conversation to another, nor let them read it',
      async () => {
        const second = await newVisitor();
        await second.page.goto(`${allowedPage}/`);
        const frame = await openPanel(second.page);
        await expect.poll(() => frame.getByText('Hi! Ask me about our shop.').count()).toBe(1);
        expect(await frame.getByText(QUESTION).count()).toBe(0);
        const status = await frame.evaluate(
          async ({ key, origin, conversationId }) => {
            const session = await fetch('/api/widget/v1/sessions', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ key, origin }),
            }).then((response) => response.json());
            const response = await fetch(`/api/widget/v1/conversations/${conversationId}`, {
              headers: { authorization: `Bearer ${session.data.token}` },
            });
            return response.status;
          },
          { key, origin: allowedPage, conversationId },
        );
        expect(status).toBe(404);
        await second.context.close();
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'identifies a visitor with the site’s signed token, shown in the inbox as a verified widget visitor',
      async () => {
        const api = (world as WidgetWorld).api;
        await world?.updateSettings({ identity: 'optional' });
        const rotated = await api('POST', `/api/v1/chatbots/${chatbotId}/widget/identity-secret`);
        expect(rotated.status).toBe(201);
        const sign = (secret: string) =>
          new SignJWT({ name: 'Ada Lovelace', email: 'ada@example.com' })
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject('user-42')
            .setIssuedAt()
            .setExpirationTime('1h')
            .sign(new TextEncoder().encode(secret));
        const identified = await newVisitor();
        await identified.page.goto(`${allowedPage}/`);
        await expect.poll(() => findLauncher(identified.page), { timeout: 15_000 }).toBeTruthy();
        // Before the panel exists: the loader hands the token to the panel when it starts.
        const token = await sign(rotated.body.data.secret);
        await callPollyBot(identified.page, 'identify', { token: token });
        const frame = await openPanel(identified.page);
        fake.queue({ text: 'Your order left our shop today.' });
        await frame.getByRole('textbox', { name: 'Message' }).fill('Where is my order?');
        await frame.getByRole('button', { name: 'Send' }).click();
        await expect
          .poll(() => replies(frame).first().textContent(), { timeout: 15_000 })
          .toContain('Your order left our shop today.');
        const inbox = await api('GET', '/api/v1/conversations?userId=user-42');
        expect(inbox.body.data).toHaveLength(1);
        expect(inbox.body.data[0]).toMatchObject({
          channel: 'widget',
          visitor: { verified: true, userId: 'user-42', name: 'Ada Lovelace', email: 'ada@example.com' },
        });

        // A token signed with another secret is refused, and the panel says so instead of chatting.
        const forged = await sign('a secret that is not the chatbot’s identity secret');
        await callPollyBot(identified.page, 'identify', { token: forged });
        await expect.poll(() => frame.getByRole('alert').textContent(), { timeout: 15_000 }).not.toBe('');
        await identified.context.close();
        await world?.updateSettings({ identity: 'off' });
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'keeps its size and layout on a page with hostile CSS, and fills a phone’s screen',
      async () => {
        const hostile = await newVisitor();
        await hostile.page.goto(`${allowedPage}/hostile`);
        await expect
          .poll(() => findLauncher(hostile.page), { timeout: 15_000 })
          .toMatchObject({ width: 56, height: 56 });
        const launcher = await findLauncher(hostile.page);
        expect(launcher?.x).toBe(DESKTOP.width - 20 - 56);
        expect(launcher?.y).toBe(DESKTOP.height - 20 - 56);
        const frame = await openPanel(hostile.page);
        const box = await (await frame.frameElement()).boundingBox();
        expect(box).toMatchObject({ width: 380, height: 640 });
        expect(
          await frame
            .getByRole('textbox', { name: 'Message' })
            .evaluate((element) => getComputedStyle(element).fontSize),
        ).toBe('15px');
        await hostile.context.close();

        await world?.updateSettings({ theme: 'dark' });
        const dark = await newVisitor();
        await dark.page.goto(`${allowedPage}/`);
        await openPanel(dark.page);
        await screenshot(dark.page, 'panel-dark-desktop');
        await dark.context.close();

        const phone = await newVisitor(PHONE);
        await phone.page.goto(`${allowedPage}/`);
        const phoneFrame = await openPanel(phone.page);
        expect(await (await phoneFrame.frameElement()).boundingBox()).toMatchObject({ x: 0, y: 0, ...PHONE });
        await screenshot(phone.page, 'panel-dark-390');
        await world?.updateSettings({ theme: 'light' });
        await phone.page.reload();
        await openPanel(phone.page);
        await screenshot(phone.page, 'panel-light-390');
        await phone.context.close();
      },
      STEP_TIMEOUT_MS * 2,
    );

    it(
      'shows the business’s limit message when a visitor’s limit trips, never an error dump',
      async () => {
        await world?.updateSettings({
          limitMessage: 'You are going fast! Please wait a minute.',
          limits: {
            perVisitor: { requests: 1, windowSeconds: 600 },
            perIp: { requests: 1000, windowSeconds: 600 },
            perDay: 5000,
          },
        });
        const visitor = await newVisitor();
        await visitor.page.goto(`${allowedPage}/`);
        const frame = await openPanel(visitor.page);
        const field = frame.getByRole('textbox', { name: 'Message' });
        await field.fill('First question');
        await frame.getByRole('button', { name: 'Send' }).click();
        await expect.poll(() => replies(frame).count(), { timeout: 15_000 }).toBe(1);
        await expect.poll(() => frame.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);
        await field.fill('Second question');
        await frame.getByRole('button', { name: 'Send' }).click();
        await expect
          .poll(() => frame.getByRole('alert').textContent(), { timeout: 15_000 })
          .toBe('You are going fast! Please wait a minute.');
        await visitor.context.close();
      },
      STEP_TIMEOUT_MS,
    );

    it('made no request to any origin but the server and the host page', () => {
      const allowed = new Set([serverUrl, allowedPage, refusedPage]);
      expect([...requestOrigins].filter((origin) => !allowed.has(origin))).toEqual([]);
    });
  },
);
