import axe from 'axe-core';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deferred } from '../../../server/test/helpers/deferred.ts';
import { CHROMIUM, hasChromium, launchVisitors, openPanel, replies, screenshot } from './widget-browser.ts';
import { callPollyBot, findLauncher, panelFrame } from './widget-helpers.ts';
import { startWidgetWorld, type WidgetWorld } from './widget-world.ts';

// The widget on a customer's page, in Debian's Chromium: the real server process serves widget.js and the
// panel, a second loopback origin (http://localhost:<port>) serves the host page. One visitor's whole
// visit: launcher, panel, a streamed reply with its citation, reloads, inert model output, axe, keyboard
// and the page's JavaScript API. Only the AI provider is a world.fake, on loopback. widget-visitors.test.ts has
// the other visitors (a refused origin, a second visitor, identity, hostile CSS, phones, limits).

const QUESTION = 'When do you open on Saturdays?';
const REPLY = 'On **Saturdays** we open at 10am.\n\n- Workshop: 10am to 4pm\n- Shop: 10am to 6pm';
const HOSTILE_REPLY =
  'Careful <img src="x" onerror="document.title=\'pwned\'"> and [a trap](javascript:alert(1)) and ' +
  '[the manual](https://example.com/manual) <script>document.title="pwned"</script>';
const RICH_REPLY =
  '| Day | Opens |\n| --- | --- |\n| Saturday | 10am |\n\n```sh\ncurl https://example.com/hours\n```\n\n' +
  '1. *first*\n2. ~~second~~';
const STEP_TIMEOUT_MS = 60_000;

describe.skipIf(!hasChromium)(
  hasChromium
    ? 'the website widget in Chromium: one visitor on a host page of another origin'
    : `the website widget in Chromium (skipped: ${CHROMIUM} is missing; install Debian's chromium)`,
  () => {
    let world: WidgetWorld;
    let visitors: Awaited<ReturnType<typeof launchVisitors>>;
    let page: Page;

    beforeAll(async () => {
      world = await startWidgetWorld(REPLY);
      visitors = await launchVisitors();
      ({ page } = await visitors.newVisitor());
    }, 120_000);

    afterAll(async () => {
      await visitors?.close();
      await world?.close();
    });

    it(
      'shows a launcher named "Open chat" on an allowed page, and downloads the panel only when it is opened',
      async () => {
        await page.goto(`${world.allowedPage}/`);
        await expect
          .poll(() => findLauncher(page), { timeout: 15_000 })
          .toMatchObject({ width: 56, height: 56 });
        expect(
          await page.evaluate(() => (window as unknown as { widgetEvents: { type: string }[] }).widgetEvents),
        ).toContainEqual({ type: 'ready' });
        expect(panelFrame(page)).toBeUndefined();
        expect([...visitors.requestOrigins].some((origin) => origin === world.serverUrl)).toBe(true);
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
        world.fake.queue({ text: REPLY, pauseAfterChunks: { count: 3, until: held.promise } });
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
        expect(messages[1]?.message?.conversationId).toBeTruthy();

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
        world.fake.queue({
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
        world.fake.queue({ text: HOSTILE_REPLY });
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
        expect(visitors.dialogs).toEqual([]);

        // The Markdown a visitor should see: a table, a code block with its copy button, lists, emphasis.
        world.fake.queue({ text: RICH_REPLY });
        await frame.getByRole('textbox', { name: 'Message' }).fill('Show me a table');
        await frame.getByRole('button', { name: 'Send' }).click();
        const rich = replies(frame).nth(3);
        await expect.poll(() => rich.locator('.actions').count(), { timeout: 15_000 }).toBe(1);
        expect(await rich.getByRole('table').getByRole('cell', { name: '10am' }).count()).toBe(1);
        expect(await rich.locator('pre code').textContent()).toBe('curl https://example.com/hours\n');
        expect(await rich.getByRole('button', { name: 'Copy code' }).count()).toBe(1);
        expect(await rich.locator('ol > li em').textContent()).toBe('first');
        expect(await rich.locator('ol > li del').textContent()).toBe('second');
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

    it('made no request to any origin but the server and the host page', () => {
      const allowed = new Set([world.serverUrl, world.allowedPage, world.refusedPage]);
      expect([...visitors.requestOrigins].filter((origin) => !allowed.has(origin))).toEqual([]);
    });
  },
);
