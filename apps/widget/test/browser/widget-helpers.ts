import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CDPSession, Page } from 'playwright-core';

// Helpers of the widget's browser suite: a host page server (a customer's site) on loopback, the
// operator/API calls that set a chatbot up, and reading the launcher, which lives in a closed shadow root
// that page scripts and Playwright's selectors cannot enter, through the browser's DevTools protocol.

/** JSON over real HTTP; answers the status and the parsed body. */
export async function callApi(baseUrl: string, method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely and assert their shape
  return { status: response.status, body: (await response.json().catch(() => null)) as any };
}

const NONCE = 'host-page-nonce';

/**
 * The host pages a site would serve: the queue stub and the snippet; with hostile CSS; or under a strict
 * Content-Security-Policy (its inline script allowed by a nonce) that records every violation it reports.
 */
function hostPage(options: {
  serverUrl: string;
  key: string;
  hostileCss?: boolean;
  strictCsp?: boolean;
}): string {
  const hostile = options.hostileCss
    ? `<style>
* { font-size: 72px !important; line-height: 4 !important; letter-spacing: 12px !important; color: red !important; }
div, body > * { display: none !important; position: static !important; width: 1px !important;
  height: 1px !important; transform: scale(0.2) !important; opacity: 0 !important; }
button, iframe { display: none !important; width: 2px !important; }
</style>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme Bikes</title>${hostile}</head>
<body>
<h1>Acme Bikes</h1><div class="content"><p>Our shop page.</p><button type="button">A page button</button></div>
<script${options.strictCsp ? ` nonce="${NONCE}"` : ''}>
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
window.PollyBot = window.PollyBot || function () { (PollyBot.q = PollyBot.q || []).push(arguments); };
window.widgetEvents = [];
PollyBot('on', 'ready', function () { widgetEvents.push({ type: 'ready' }); });
PollyBot('on', 'open', function () { widgetEvents.push({ type: 'open' }); });
PollyBot('on', 'close', function () { widgetEvents.push({ type: 'close' }); });
PollyBot('on', 'message', function (message) { widgetEvents.push({ type: 'message', message: message }); });
</script>
<script src="${options.serverUrl}/widget.js" data-chatbot="${options.key}" async></script>
</body></html>`;
}

/**
 * A customer's site on loopback: `/` is the page with the snippet (its key read per request), `/hostile`
 * the same with hostile CSS, `/strict` the same under a strict CSP that allows only the PollyBot server.
 */
export async function startHostSite(
  serverUrl: string,
  key: () => string,
): Promise<{ port: number; server: Server }> {
  const server = createServer((request, response) => {
    const hostileCss = request.url === '/hostile';
    const strictCsp = request.url === '/strict';
    if (request.url !== '/' && !hostileCss && !strictCsp) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      ...(strictCsp
        ? {
            'content-security-policy':
              `default-src 'none'; script-src 'nonce-${NONCE}' ${serverUrl}; connect-src ${serverUrl}; ` +
              `frame-src ${serverUrl}; style-src 'self'; img-src 'self'`,
          }
        : {}),
    });
    response.end(hostPage({ serverUrl, key: key(), hostileCss, strictCsp }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, server };
}

type AxNode = {
  nodeId: string;
  role?: { value?: string };
  name?: { value?: string };
  properties?: { name: string; value: { value?: unknown } }[];
  backendDOMNodeId?: number;
};

/** The page's accessibility tree, which includes the closed shadow root's launcher. */
async function launcherNode(cdp: CDPSession): Promise<AxNode | undefined> {
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  return nodes.find((node) => node.role?.value === 'button' && node.name?.value === 'Open chat');
}

/** The launcher as assistive technology sees it: found by its role and name, its box, whether it has focus. */
export async function findLauncher(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const node = await launcherNode(cdp);
    if (!node?.backendDOMNodeId) return undefined;
    const { model } = (await cdp.send('DOM.getBoxModel', { backendNodeId: node.backendDOMNodeId })) as {
      model: { border: number[]; width: number; height: number };
    };
    const [x = 0, y = 0] = model.border;
    const focused = node.properties?.some(
      (property) => property.name === 'focused' && property.value.value === true,
    );
    const expanded = node.properties?.find((property) => property.name === 'expanded')?.value.value;
    return { x, y, width: model.width, height: model.height, focused: Boolean(focused), expanded };
  } finally {
    await cdp.detach();
  }
}

/** Clicks the launcher where a person would: at the middle of its box. */
export async function clickLauncher(page: Page): Promise<void> {
  const launcher = await findLauncher(page);
  if (!launcher) throw new Error('no launcher named "Open chat" on the page');
  await page.mouse.click(launcher.x + launcher.width / 2, launcher.y + launcher.height / 2);
}

/** The panel's frame, once the launcher has created it. */
export function panelFrame(page: Page) {
  return page.frames().find((frame) => frame.url().includes('/widget/frame'));
}

/** Polls `read` until it answers `expected` (for setup, where expect.poll is not available). */
export async function waitFor<T>(read: () => Promise<T>, expected: T, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (last === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`still ${String(last)}, not ${String(expected)}, after ${timeoutMs} ms`);
}

/** Calls the page's `PollyBot(...)`, as a site's own script would. */
export function callPollyBot(page: Page, ...args: unknown[]): Promise<void> {
  return page.evaluate((commandArgs) => {
    (window as unknown as { PollyBot: (...args: unknown[]) => void }).PollyBot(...commandArgs);
  }, args);
}
