import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchVisitors, openPanel, replies, send } from './widget-browser.ts';
import { callPollyBot, findLauncher } from './widget-helpers.ts';
import { startWidgetWorld, type WidgetWorld } from './widget-world.ts';

// The panel when the server refuses it: an identity token that is not valid (optional and required
// identity), and a key revoked while the panel is open. The visitor reads the business's words (its title,
// welcome and offline message), the developer's sentence goes to the console, and a message that was not
// accepted is never shown as sent.

const WELCOME = 'Hi! Ask me about our shop.';
const OFFLINE = 'We are away right now, please call the shop.';
const STEP_TIMEOUT_MS = 60_000;

const forgedToken = () =>
  new SignJWT({ name: 'Mallory' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-13')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('a secret that is not the chatbot’s identity secret'));

describe.skipIf(!hasChromium)(
  hasChromium
    ? 'the website widget in Chromium: refused identities and keys'
    : `the website widget in Chromium (skipped: ${CHROMIUM} is missing; install Debian's chromium)`,
  () => {
    let world: WidgetWorld;
    let visitors: Awaited<ReturnType<typeof launchVisitors>>;

    beforeAll(async () => {
      world = await startWidgetWorld('Hello from the shop.');
      await world.updateSettings({ offlineMessage: OFFLINE });
      const rotated = await world.api('POST', `/api/v1/chatbots/${world.chatbotId}/widget/identity-secret`);
      expect(rotated.status).toBe(201);
      visitors = await launchVisitors();
    }, 120_000);

    afterAll(async () => {
      await visitors?.close();
      await world?.close();
    });

    /** A visitor on the allowed page who identifies with a forged token; the console's warnings kept. */
    async function forgedVisitor() {
      const visitor = await visitors.newVisitor();
      const warnings: string[] = [];
      visitor.page.on('console', (message) => {
        if (message.type() === 'warning') warnings.push(message.text());
      });
      await visitor.page.goto(`${world.allowedPage}/`);
      await expect.poll(() => findLauncher(visitor.page), { timeout: 15_000 }).toBeTruthy();
      await callPollyBot(visitor.page, 'identify', { token: await forgedToken() });
      const frame = await openPanel(visitor.page);
      return { ...visitor, frame, warnings };
    }

    it(
      'with optional identity, a refused token leaves the visitor unidentified and chatting',
      async () => {
        await world.updateSettings({ identity: 'optional' });
        const { context, frame, warnings } = await forgedVisitor();
        await expect.poll(() => frame.getByText(WELCOME).count(), { timeout: 15_000 }).toBe(1);
        expect(await frame.getByRole('heading', { name: 'Acme Bikes' }).count()).toBe(1);
        await expect
          .poll(() => warnings.some((text) => text.includes('IDENTITY_INVALID')), { timeout: 15_000 })
          .toBe(true);
        world.fake.queue({ text: 'We open at 9am.' });
        await send(frame, 'When do you open?');
        await expect
          .poll(() => replies(frame).first().textContent(), { timeout: 15_000 })
          .toContain('We open at 9am.');
        expect(await frame.locator('.notice:not([hidden])').count()).toBe(0);
        await context.close();
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'with required identity, a refused token shows the offline message and disables the composer',
      async () => {
        await world.updateSettings({ identity: 'required' });
        const { context, frame, warnings } = await forgedVisitor();
        await expect.poll(() => frame.getByRole('alert').textContent(), { timeout: 15_000 }).toBe(OFFLINE);
        expect(await frame.getByText(WELCOME).count()).toBe(1);
        expect(await frame.getByRole('heading', { name: 'Acme Bikes' }).count()).toBe(1);
        expect(await frame.getByRole('textbox', { name: 'Message' }).isDisabled()).toBe(true);
        expect(await frame.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
        expect(warnings.some((text) => text.includes('IDENTITY_INVALID'))).toBe(true);
        await context.close();
        await world.updateSettings({ identity: 'off' });
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'says "Copied" when a reply is copied',
      async () => {
        await world.updateSettings({ identity: 'off' });
        const visitor = await visitors.newVisitor();
        await visitor.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
          origin: world.serverUrl,
        });
        await visitor.page.goto(`${world.allowedPage}/`);
        const frame = await openPanel(visitor.page);
        world.fake.queue({ text: 'Saturdays from 10am.' });
        await send(frame, 'Saturday?');
        await expect.poll(() => replies(frame).count(), { timeout: 15_000 }).toBe(1);
        await replies(frame).first().getByRole('button', { name: 'Copy reply' }).click();
        const status = replies(frame).first().getByRole('status');
        await expect.poll(() => status.textContent(), { timeout: 5_000 }).toBe('Copied');
        expect(await status.isVisible()).toBe(true);
        await visitor.context.close();
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'after its key is revoked, an open panel shows the offline message and marks the message not sent',
      async () => {
        await world.updateSettings({ identity: 'off' });
        const visitor = await visitors.newVisitor();
        const warnings: string[] = [];
        visitor.page.on('console', (message) => {
          if (message.type() === 'warning') warnings.push(message.text());
        });
        await visitor.page.goto(`${world.allowedPage}/`);
        const frame = await openPanel(visitor.page);
        await expect.poll(() => frame.getByText(WELCOME).count(), { timeout: 15_000 }).toBe(1);
        const keys = await world.api('GET', `/api/v1/chatbots/${world.chatbotId}/publishable-keys`);
        const keyId = keys.body.data[0].id as string;
        const revoked = await world.api(
          'DELETE',
          `/api/v1/chatbots/${world.chatbotId}/publishable-keys/${keyId}`,
        );
        expect(revoked.status).toBeLessThan(300);
        await send(frame, 'Are you there?');
        await expect.poll(() => frame.getByRole('alert').textContent(), { timeout: 15_000 }).toBe(OFFLINE);
        const sent = frame.locator('.message.user', { hasText: 'Are you there?' });
        await expect.poll(() => sent.getAttribute('data-state')).toBe('failed');
        expect(await sent.getByText('Not sent').count()).toBe(1);
        expect(await sent.getByRole('button', { name: 'Retry' }).count()).toBe(1);
        expect(warnings.some((text) => text.includes('PUBLISHABLE_KEY_INVALID'))).toBe(true);

        // The loader of a page loaded afterwards says why it shows nothing.
        const later = await visitors.newVisitor();
        const laterWarnings: string[] = [];
        later.page.on('console', (message) => {
          if (message.type() === 'warning') laterWarnings.push(message.text());
        });
        await later.page.goto(`${world.allowedPage}/`);
        await expect
          .poll(() => laterWarnings.find((text) => text.startsWith('PollyBot:')), { timeout: 15_000 })
          .toMatch(/unknown or revoked/);
        await later.context.close();
        await visitor.context.close();
      },
      STEP_TIMEOUT_MS,
    );
  },
);
