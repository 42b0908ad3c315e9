import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAi } from '../../../server/test/helpers/fake-openai.ts';
import {
  killStartedServers,
  startServer,
  waitForBaseUrl,
} from '../../../server/test/helpers/server-process.ts';
import { callApi, startHostSite, waitFor } from './widget-helpers.ts';

// What the widget's browser suite runs against: the real server process (SQLite in a temporary folder)
// with a fake OpenAI upstream, a workspace made through the operator API, a chatbot with one knowledge
// source to cite, a publishable key for the host site's http://localhost origin, and that site itself.

/** The operator token, which also serves as the first-run setup token of the dashboard. */
export const ADMIN_TOKEN = 'operator-token-for-the-widget-suite';

export async function startWidgetWorld(defaultReply: string) {
  const fake = await startFakeOpenAi();
  fake.defaultReply = { text: defaultReply, interTokenDelayMs: 5 };
  const databaseDirectory = mkdtempSync(join(tmpdir(), 'pollybot-widget-'));
  const databaseUrl = `sqlite:${join(databaseDirectory, 'db.sqlite')}`;
  const serverUrl = await waitForBaseUrl(
    startServer({
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      OPENAI_BASE_URL: fake.baseUrl,
      OPENAI_API_KEY: 'sk-test',
      POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN,
    }),
  );
  const expectStatus = async (status: number, answer: Promise<{ status: number; body: unknown }>) => {
    const { status: actual, body } = await answer;
    if (actual !== status) throw new Error(`expected ${status}, got ${actual}: ${JSON.stringify(body)}`);
    // biome-ignore lint/suspicious/noExplicitAny: setup reads the answers' ids freely
    return (body as { data: any }).data;
  };
  const workspace = await expectStatus(
    201,
    callApi(serverUrl, 'POST', '/api/admin/workspaces', ADMIN_TOKEN, { name: 'Acme Bikes', credits: 1000 }),
  );
  const apiKey: string = workspace.apiKey;
  /** A call of the management API with the workspace's key. */
  const api = (method: string, path: string, body?: unknown) =>
    callApi(serverUrl, method, path, apiKey, body);
  const chatbot = await expectStatus(
    201,
    api('POST', '/api/v1/chatbots', { name: 'Acme help', model: 'openai/gpt-test' }),
  );
  const chatbotId: string = chatbot.id;
  const source = await expectStatus(
    201,
    api('POST', `/api/v1/chatbots/${chatbotId}/knowledge`, {
      kind: 'text',
      title: 'Opening hours',
      content: '# Opening hours\nOn Saturdays we open at 10am. On weekdays we open at 9am.',
    }),
  );
  const sourcePath = `/api/v1/chatbots/${chatbotId}/knowledge/${source.id}`;
  await waitFor(async () => (await api('GET', sourcePath)).body.data.status, 'ready');

  // The site's server answers on 127.0.0.1, so http://localhost:<port> and http://127.0.0.1:<port> are
  // two origins of the same page; only the first is on the key's list.
  let key = '';
  const site = await startHostSite(serverUrl, () => key);
  const allowedPage = `http://localhost:${site.port}`;
  const refusedPage = `http://127.0.0.1:${site.port}`;
  const created = await expectStatus(
    201,
    api('POST', `/api/v1/chatbots/${chatbotId}/publishable-keys`, { allowedOrigins: [allowedPage] }),
  );
  key = created.key;
  await expectStatus(
    200,
    api('PUT', `/api/v1/chatbots/${chatbotId}/widget`, {
      title: 'Acme Bikes',
      welcomeMessage: 'Hi! Ask me about our shop.',
      starterQuestions: ['When are you open?'],
      theme: 'light',
    }),
  );

  return {
    fake,
    serverUrl,
    /** The server's SQLite database, for a test that makes time pass (an expired session). */
    databaseUrl,
    chatbotId,
    key,
    allowedPage,
    refusedPage,
    api,
    /** Changes the widget's settings (theme, identity mode, ...). */
    async updateSettings(settings: Record<string, unknown>) {
      await expectStatus(200, api('PUT', `/api/v1/chatbots/${chatbotId}/widget`, settings));
    },
    async close() {
      site.server.close();
      await killStartedServers();
      await fake.close();
      rmSync(databaseDirectory, { recursive: true, force: true });
    },
  };
}

export type WidgetWorld = Awaited<ReturnType<typeof startWidgetWorld>>;
