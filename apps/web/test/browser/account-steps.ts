import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { findSidewaysOverflow } from './page-width.ts';

// The account steps of the dashboard suite (dashboard.test.ts), run in its browser once the chatbot, its
// conversation and its knowledge exist: changing one's password, the skip link, focus in dialogs, the
// ledger's links to conversations, and every page at a phone's width and under axe-core.

/** What the dashboard suite has set up by the time these steps run. */
interface AccountSession {
  page: Page;
  baseUrl: string;
  chatbotId: string;
  conversationId: string;
  owner: { name: string; email: string; password: string };
  viewport: { width: number; height: number };
  screenshot: (name: string) => Promise<void>;
  openFromSidebar: (label: string) => Promise<void>;
}

const PHONE = { width: 390, height: 844 };
const NEW_PASSWORD = 'a-brand-new-owner-password';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type AxeViolation = { id: string; impact: string | null; nodes: { target: unknown[] }[] };

/** The serious and critical violations axe-core finds on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated rather than added as a script tag: the pages' security policy refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document) => Promise<{ violations: unknown[] }> } }
    ).axe;
    return (await axe.run(document)).violations;
  });
  return (violations as AxeViolation[])
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}

/** The name of the element that has focus, as a person would read it. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element) return '';
    const input = element as HTMLInputElement;
    return (
      input.labels?.[0]?.textContent?.trim() || element.getAttribute('aria-label') || element.innerText.trim()
    );
  });
}

export function registerAccountSteps(session: () => AccountSession, stepTimeoutMs: number): void {
  it(
    'changes the password in a dialog that opens on its first field and gives focus back to the menu',
    async () => {
      const { page, owner } = session();
      const menu = page.getByRole('banner').getByRole('button', { name: owner.name });
      const openDialog = async () => {
        await menu.click();
        await page.getByRole('menuitem', { name: 'Change password' }).click();
        const dialog = page.getByRole('dialog', { name: 'Change your password' });
        await dialog.waitFor();
        return dialog;
      };
      let dialog = await openDialog();
      await expect.poll(() => focusedName(page)).toBe('Current password');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => focusedName(page)).toContain(owner.name);

      dialog = await openDialog();
      await dialog.getByLabel('Current password').fill('not-my-password');
      await dialog.getByLabel('New password').fill(NEW_PASSWORD);
      await dialog.getByLabel('Confirm password').fill(NEW_PASSWORD);
      await dialog.getByRole('button', { name: 'Change password' }).click();
      await dialog.getByText('is not your current password').waitFor();
      await dialog.getByLabel('Current password').fill(owner.password);
      await dialog.getByRole('button', { name: 'Change password' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByText('Password changed').waitFor();
      const signIn = async (password: string) =>
        (
          await fetch(`${session().baseUrl}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: owner.email, password }),
          })
        ).status;
      expect(await signIn(owner.password)).toBe(401);
      expect(await signIn(NEW_PASSWORD)).toBe(200);
      // Back to the suite's password, through the same dialog, signed in with the new one.
      await page.reload();
      dialog = await openDialog();
      await dialog.getByLabel('Current password').fill(NEW_PASSWORD);
      await dialog.getByLabel('New password').fill(owner.password);
      await dialog.getByLabel('Confirm password').fill(owner.password);
      await dialog.getByRole('button', { name: 'Change password' }).click();
      await dialog.waitFor({ state: 'hidden' });
    },
    stepTimeoutMs,
  );

  it(
    'offers a skip link first, which moves focus to the page',
    async () => {
      const { page } = session();
      await page.goto(`${session().baseUrl}/#/usage`);
      // A fresh load, so Tab starts from the top of the page.
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Usage & credits' }).waitFor();
      await page.keyboard.press('Tab');
      expect(await focusedName(page)).toBe('Skip to content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    },
    stepTimeoutMs,
  );

  it(
    'links a reply’s credit ledger row to its conversation',
    async () => {
      const { page, chatbotId, conversationId } = session();
      const ledger = page.getByRole('main').locator('section.card').filter({ hasText: 'Credit ledger' });
      const link = ledger.getByRole('link', { name: 'Chat reply' }).first();
      await link.waitFor();
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^#/conversations/${chatbotId}/`));
      const href = await ledger
        .getByRole('link', { name: 'Chat reply' })
        .evaluateAll((links) => links.map((element) => element.getAttribute('href')));
      expect(href).toContain(`#/conversations/${chatbotId}/${conversationId}`);
    },
    stepTimeoutMs,
  );

  it(
    'fits every page in 390 px with every row action in reach, and axe-core finds nothing serious on any page',
    async () => {
      const { page, baseUrl, chatbotId, conversationId, viewport, screenshot } = session();
      const pages = [
        { hash: '#/chatbots', title: 'Chatbots' },
        { hash: `#/chatbots/${chatbotId}`, title: undefined },
        { hash: `#/chatbots/${chatbotId}/knowledge`, title: undefined },
        { hash: `#/chatbots/${chatbotId}/deploy`, title: undefined },
        { hash: '#/chatbots/new', title: undefined },
        { hash: `#/playground?chatbot=${chatbotId}`, title: 'Playground' },
        { hash: '#/conversations', title: 'Conversations' },
        { hash: `#/conversations/${chatbotId}/${conversationId}`, title: undefined },
        { hash: '#/usage', title: 'Usage & credits' },
        { hash: '#/api-keys', title: 'API keys' },
        { hash: '#/members', title: 'Members' },
        { hash: '#/getting-started', title: 'Getting started' },
      ];
      const found: Record<string, string[]> = {};
      for (const width of [viewport.width, PHONE.width]) {
        await page.setViewportSize(width === PHONE.width ? PHONE : viewport);
        for (const target of pages) {
          await page.goto(`${baseUrl}/${target.hash}`);
          await page
            .getByRole('heading', { level: 1, ...(target.title ? { name: target.title } : {}) })
            .waitFor();
          // The page has read what it shows: no skeleton is left.
          await expect.poll(() => page.locator('.skeleton').count()).toBe(0);
          const problems = await seriousViolations(page);
          if (width === PHONE.width) {
            problems.push(...(await page.evaluate(findSidewaysOverflow, PHONE.width)));
            // Every button of a table row is drawn inside the screen, not past a table's edge.
            const outside = await page
              .getByRole('main')
              .locator('tr button, tr a')
              .evaluateAll(
                (elements, limit) =>
                  elements
                    .filter((element) => {
                      const box = element.getBoundingClientRect();
                      return box.width > 0 && (box.right > limit + 0.5 || box.left < -0.5);
                    })
                    .map(
                      (element) => `row action out of reach: ${(element as HTMLElement).innerText.trim()}`,
                    ),
                PHONE.width,
              );
            problems.push(...outside);
          }
          if (problems.length > 0) found[`${width} ${target.hash}`] = problems;
        }
      }
      await page.setViewportSize(viewport);
      await screenshot('account-steps-done');
      expect(found).toEqual({});
    },
    stepTimeoutMs * 3,
  );
}
