import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type ElementHandle,
  type Frame,
  type Page,
} from 'playwright-core';
import { expect } from 'vitest';
import { ROOT } from '../../../server/test/helpers/server-process.ts';
import { clickLauncher, findLauncher, panelFrame } from './widget-helpers.ts';

// The browser side of the widget's suites: Debian's Chromium, one browser context per visitor (its own
// storage), every request and dialog of every page recorded, and the panel opened as a person would.

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots', 'widget');

/** A screenshot of a page (or of one element) kept as test-results/screenshots/widget/widget-<name>.png. */
export async function screenshot(target: Page | ElementHandle, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await target.screenshot({ path: join(SCREENSHOTS, `widget-${name}.png`), animations: 'disabled' });
}

export async function launchVisitors() {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  /** The origin of every http(s) request any page made. */
  const requestOrigins = new Set<string>();
  /** The message of every dialog (alert, confirm, prompt) any page opened. */
  const dialogs: string[] = [];
  return {
    requestOrigins,
    dialogs,
    /** A new visitor: a fresh browser context (no storage shared with the others) and its page. */
    async newVisitor(viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.protocol === 'http:' || url.protocol === 'https:') requestOrigins.add(url.origin);
      });
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      return { context, page };
    },
    close: () => browser.close(),
  };
}

/** Opens the panel with the launcher and waits until it shows its message field. */
export async function openPanel(page: Page): Promise<Frame> {
  await expect.poll(() => findLauncher(page), { timeout: 15_000 }).toBeTruthy();
  await clickLauncher(page);
  await expect.poll(() => panelFrame(page), { timeout: 15_000 }).toBeTruthy();
  const frame = panelFrame(page) as Frame;
  await frame.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 15_000 });
  return frame;
}

/** The replies in the panel's conversation (not the welcome message). */
export const replies = (frame: Frame) => frame.locator('.message.assistant:not(.welcome)');

/** Types a message and sends it with the "Send" button. */
export async function send(frame: Frame, text: string): Promise<void> {
  await frame.getByRole('textbox', { name: 'Message' }).fill(text);
  await frame.getByRole('button', { name: 'Send' }).click();
}
