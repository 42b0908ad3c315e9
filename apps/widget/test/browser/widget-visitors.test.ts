import { DEFAULT_WIDGET_SETTINGS } from '@pollybot/contracts';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../../server/src/db/connect.ts';
import {
  CHROMIUM,
  DESKTOP,
  hasChromium,
  launchVisitors,
  openPanel,
  PHONE,
  replies,
  screenshot,
  send,
} from './widget-browser.ts';
import { callPollyBot, findLauncher, panelFrame } from './widget-helpers.ts';
import { ADMIN_TOKEN, startWidgetWorld, type WidgetWorld } from './widget-world.ts';

// The widget for the other visitors, in Debian's Chromium (widget.test.ts follows one visitor's visit): a
// page whose origin is not on the key's list, a second visitor, a verified visitor, a page with hostile
// CSS, a phone, and a visitor over their limit. Only the AI provider is a world.fake, on loopback.

const WELCOME = 'Hi! Ask me about our shop.';
const STEP_TIMEOUT_MS = 60_000;

describe.skipIf(!hasChromium)(
  hasChromium
    ? 'the website widget in Chromium: other origins, other visitors, other screens'
    : `the website widget in Chromium (skipped: ${CHROMIUM} is missing; install Debian's chromium)`,
  () => {
    let world: WidgetWorld;
    let visitors: Awaited<ReturnType<typeof launchVisitors>>;

    beforeAll(async () => {
      world = await startWidgetWorld('Hello from the shop.');
      visitors = await launchVisitors();
    }, 120_000);

    afterAll(async () => {
      await visitors?.close();
      await world?.close();
    });

    it(
      'shows nothing on a page whose origin is not on the key’s list',
      async () => {
        const refused = await visitors.newVisitor();
        const warnings: string[] = [];
        refused.page.on('console', (message) => {
          if (message.type() === 'warning') warnings.push(message.text());
        });
        await refused.page.goto(`${world.refusedPage}/`);
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
        const first = await visitors.newVisitor();
        await first.page.goto(`${world.allowedPage}/`);
        const firstFrame = await openPanel(first.page);
        await send(firstFrame, 'My secret question');
        await expect.poll(() => replies(firstFrame).count(), { timeout: 15_000 }).toBe(1);
        const conversationId = await first.page.evaluate(
          () =>
            (
              window as unknown as { widgetEvents: { message?: { conversationId: string } }[] }
            ).widgetEvents.find((event) => event.message)?.message?.conversationId,
        );
        expect(conversationId).toBeTruthy();
        await first.context.close();

        const second = await visitors.newVisitor();
        await second.page.goto(`${world.allowedPage}/`);
        const frame = await openPanel(second.page);
        await expect.poll(() => frame.getByText(WELCOME).count()).toBe(1);
        expect(await frame.getByText('My secret question').count()).toBe(0);
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
          { key: world.key, origin: world.allowedPage, conversationId },
        );
        expect(status).toBe(404);
        await second.context.close();
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'identifies a visitor with the site’s signed token, shown in the inbox as a verified widget visitor',
      async () => {
        const api = world.api;
        await world.updateSettings({ identity: 'optional' });
        const rotated = await api('POST', `/api/v1/chatbots/${world.chatbotId}/widget/identity-secret`);
        expect(rotated.status).toBe(201);
        const sign = (secret: string) =>
          new SignJWT({ name: 'Ada Lovelace', email: 'ada@example.com' })
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject('user-42')
            .setIssuedAt()
            .setExpirationTime('1h')
            .sign(new TextEncoder().encode(secret));
        const identified = await visitors.newVisitor();
        await identified.page.goto(`${world.allowedPage}/`);
        await expect.poll(() => findLauncher(identified.page), { timeout: 15_000 }).toBeTruthy();
        // Before the panel exists: the loader hands the token to the panel when it starts.
        const token = await sign(rotated.body.data.secret);
        await callPollyBot(identified.page, 'identify', { token: token });
        const frame = await openPanel(identified.page);
        world.fake.queue({ text: 'Your order left our shop today.' });
        await send(frame, 'Where is my order?');
        await expect
          .poll(() => replies(frame).first().textContent(), { timeout: 15_000 })
          .toContain('Your order left our shop today.');
        const inbox = await api('GET', '/api/v1/conversations?userId=user-42');
        expect(inbox.body.data).toHaveLength(1);
        expect(inbox.body.data[0]).toMatchObject({
          channel: 'widget',
          visitor: { verified: true, userId: 'user-42', name: 'Ada Lovelace', email: 'ada@example.com' },
        });

        // A refused token (optional and required identity) is followed in widget-refusals.test.ts.
        await identified.context.close();
        await world.updateSettings({ identity: 'off' });
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'keeps its size and layout on a page with hostile CSS, and fills a phone’s screen',
      async () => {
        const hostile = await visitors.newVisitor();
        await hostile.page.goto(`${world.allowedPage}/hostile`);
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

        // A site with a strict CSP that allows only the PollyBot server: the widget works, and breaks no rule.
        const strict = await visitors.newVisitor();
        await strict.page.goto(`${world.allowedPage}/strict`);
        await expect
          .poll(() => findLauncher(strict.page), { timeout: 15_000 })
          .toMatchObject({ width: 56, height: 56 });
        await openPanel(strict.page);
        expect(
          await strict.page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
        ).toEqual([]);
        await strict.context.close();

        await world.updateSettings({ theme: 'dark' });
        const dark = await visitors.newVisitor();
        await dark.page.goto(`${world.allowedPage}/`);
        await openPanel(dark.page);
        await screenshot(dark.page, 'panel-dark-desktop');
        await dark.context.close();

        const phone = await visitors.newVisitor(PHONE);
        await phone.page.goto(`${world.allowedPage}/`);
        const phoneFrame = await openPanel(phone.page);
        expect(await (await phoneFrame.frameElement()).boundingBox()).toMatchObject({ x: 0, y: 0, ...PHONE });
        await screenshot(phone.page, 'panel-dark-390');
        await world.updateSettings({ theme: 'light' });
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
        await world.updateSettings({
          limitMessage: 'You are going fast! Please wait a minute.',
          limits: {
            perVisitor: { requests: 1, windowSeconds: 600 },
            perIp: { requests: 1000, windowSeconds: 600 },
            perDay: 5000,
          },
        });
        const visitor = await visitors.newVisitor();
        await visitor.page.goto(`${world.allowedPage}/`);
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
        await world.updateSettings({ limits: DEFAULT_WIDGET_SETTINGS.limits });
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'renews an expired visitor session on its own and sends the message, the visitor noticing nothing',
      async () => {
        const visitor = await visitors.newVisitor();
        const sessionsStarted: string[] = [];
        visitor.page.on('request', (request) => {
          if (request.method() === 'POST' && request.url().endsWith('/api/widget/v1/sessions')) {
            sessionsStarted.push(request.url());
          }
        });
        await visitor.page.goto(`${world.allowedPage}/`);
        const frame = await openPanel(visitor.page);
        await expect.poll(() => frame.getByText(WELCOME).count()).toBe(1);
        expect(sessionsStarted).toHaveLength(1);
        // An hour passes: every visitor session of the chatbot has expired.
        const database = connectDatabase(world.databaseUrl);
        try {
          await database.db
            .updateTable('visitor_sessions')
            .set({ expires_at: '2000-01-01T00:00:00.000Z' })
            .execute();
        } finally {
          await database.close();
        }
        world.fake.queue({ text: 'Still here for you.' });
        await send(frame, 'Are you still there?');
        await expect
          .poll(() => replies(frame).first().textContent(), { timeout: 15_000 })
          .toContain('Still here for you.');
        expect(await frame.getByRole('alert').isVisible()).toBe(false);
        // The chat request was refused (401 VISITOR_SESSION_INVALID), a new session started, the message sent.
        expect(sessionsStarted).toHaveLength(2);
        await visitor.context.close();
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'renders the dashboard’s live preview from the settings the dashboard posts, calling no API',
      async () => {
        const { context, page } = await visitors.newVisitor();
        const setup = await context.request.post(`${world.serverUrl}/api/auth/setup`, {
          data: {
            setupToken: ADMIN_TOKEN,
            email: 'owner@example.com',
            name: 'Olive Owner',
            password: 'correct horse battery',
          },
        });
        expect(setup.status()).toBe(201);
        const { csrfToken } = (await setup.json()).data;
        const chatbot = await context.request.post(`${world.serverUrl}/api/v1/chatbots`, {
          data: { name: 'Preview bot' },
          headers: { 'x-csrf-token': csrfToken },
        });
        expect(chatbot.status()).toBe(201);
        const chatbotId = (await chatbot.json()).data.id;
        const panelRequests: string[] = [];
        page.on('request', (request) => {
          if (request.frame().url().includes('/widget/preview')) panelRequests.push(request.url());
        });
        // A page of the dashboard's origin frames the preview, as the Deploy page does.
        await page.goto(`${world.serverUrl}/`);
        await page.evaluate((src) => {
          const frame = document.createElement('iframe');
          frame.id = 'preview';
          frame.title = 'Widget preview';
          frame.src = src;
          frame.style.width = '380px';
          frame.style.height = '640px';
          document.body.append(frame);
        }, `/widget/preview?chatbotId=${chatbotId}`);
        await expect
          .poll(() => page.frames().find((frame) => frame.url().includes('/widget/preview')))
          .toBeTruthy();
        const preview = page.frames().find((frame) => frame.url().includes('/widget/preview'));
        if (!preview) throw new Error('no preview frame');
        await preview.getByRole('textbox', { name: 'Message' }).waitFor();
        await page.evaluate(() => {
          const frame = document.getElementById('preview') as HTMLIFrameElement;
          frame.contentWindow?.postMessage(
            {
              title: 'Preview title',
              welcomeMessage: 'Welcome from the form',
              starterQuestions: ['Any deals?'],
              accentColor: '#0f766e',
              theme: 'dark',
              avatarUrl: null,
            },
            location.origin,
          );
        });
        await expect.poll(() => preview.getByRole('heading', { name: 'Preview title' }).count()).toBe(1);
        expect(await preview.getByText('Welcome from the form').count()).toBe(1);
        expect(await preview.getByRole('button', { name: 'Any deals?' }).count()).toBe(1);
        expect(await preview.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
        expect(panelRequests.filter((url) => url.includes('/api/'))).toEqual([]);
        await screenshot(await preview.frameElement(), 'preview');
        await context.close();
      },
      STEP_TIMEOUT_MS,
    );

    it('made no request to any origin but the server and the host page', () => {
      const allowed = new Set([world.serverUrl, world.allowedPage, world.refusedPage]);
      expect([...visitors.requestOrigins].filter((origin) => !allowed.has(origin))).toEqual([]);
    });
  },
);
