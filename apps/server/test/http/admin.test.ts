import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startTestServer, type TestServer } from '../helpers/test-server.ts';

const ADMIN_TOKEN = 'operator-token-0123456789abcdef';

let server: TestServer;
let admin: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startTestServer({ POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN });
  admin = apiClient(server.baseUrl, ADMIN_TOKEN);
});

afterAll(async () => {
  await server.close();
});

async function createWorkspace(body: Record<string, unknown>) {
  const response = await admin.post('/api/admin/workspaces', body);
  expect(response.status).toBe(201);
  return response.body.data as { workspace: { id: string; name: string; credits: number }; apiKey: string };
}

async function readLedger(workspaceId: string) {
  return server.services.db
    .selectFrom('credit_ledger')
    .select(['amount', 'balance_after', 'reason'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('id', 'asc')
    .execute();
}

async function readBalance(apiKey: string): Promise<number> {
  const response = await server.api(apiKey).get('/api/v1/workspace');
  expect(response.status).toBe(200);
  return response.body.data.credits;
}

describe('operator authentication', () => {
  it('refuses a missing or wrong token with 401 INVALID_ADMIN_TOKEN', async () => {
    const responses = [
      await apiClient(server.baseUrl).get('/api/admin/workspaces'),
      await apiClient(server.baseUrl, `${ADMIN_TOKEN}x`).get('/api/admin/workspaces'),
      await apiClient(server.baseUrl, 'operator-token-0123456789abcdeF').post('/api/admin/workspaces', {
        name: 'Sneaky',
      }),
    ];

    for (const response of responses) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        success: false,
        error: 'Invalid admin token',
        code: 'INVALID_ADMIN_TOKEN',
      });
    }
  });

  it('refuses a workspace API key on the operator API', async () => {
    const { apiKey } = await server.createWorkspace();

    const response = await server.api(apiKey).get('/api/admin/workspaces');

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'INVALID_ADMIN_TOKEN' });
  });

  it('answers 404 on every operator route when POLLYBOT_ADMIN_TOKEN is unset', async () => {
    const closed = await startTestServer();
    try {
      const client = apiClient(closed.baseUrl, ADMIN_TOKEN);
      const responses = [
        await client.get('/api/admin/workspaces'),
        await client.post('/api/admin/workspaces', { name: 'Nope' }),
        await client.post('/api/admin/workspaces/anything/credits', { amount: 5 }),
      ];
      for (const response of responses) {
        expect(response.status).toBe(404);
        expect(response.body).toMatchObject({ success: false, code: 'NOT_FOUND' });
      }
    } finally {
      await closed.close();
    }
  });
});

describe('POST /api/admin/workspaces', () => {
  it('creates a workspace (201) with its first API key, and that key opens the workspace', async () => {
    const response = await admin.post('/api/admin/workspaces', { name: 'Globex', credits: 250 });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      success: true,
      data: {
        workspace: { id: expect.any(String), name: 'Globex', credits: 250 },
        apiKey: expect.stringMatching(/^sk-workspace_[0-9A-Za-z]{32,}$/),
      },
    });
    const { workspace, apiKey } = response.body.data;
    const seen = await server.api(apiKey).get('/api/v1/workspace');
    expect(seen.status).toBe(200);
    expect(seen.body.data).toEqual(workspace);
  });

  it('starts a workspace with 0 credits when credits are omitted', async () => {
    const { workspace, apiKey } = await createWorkspace({ name: 'Penniless' });

    expect(workspace.credits).toBe(0);
    expect(await readBalance(apiKey)).toBe(0);
    expect(await readLedger(workspace.id)).toEqual([]);
  });

  it.each([
    ['no name', {}],
    ['an empty name', { name: '   ' }],
    ['negative credits', { name: 'Debt', credits: -5 }],
    ['fractional credits', { name: 'Half', credits: 1.5 }],
  ])('refuses %s with 400 VALIDATION_ERROR', async (_case, body) => {
    const response = await admin.post('/api/admin/workspaces', body);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
  });
});

describe('GET /api/admin/workspaces', () => {
  it('lists every workspace newest first, page by page, without duplicates or gaps', async () => {
    const created: string[] = [];
    for (const name of ['Paged A', 'Paged B', 'Paged C'])
      created.push((await createWorkspace({ name })).workspace.id);

    const listed: { id: string; name: string; credits: number }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const path: string = `/api/admin/workspaces?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await admin.get(path);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      listed.push(...page.body.data);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 50);

    expect(cursor).toBeNull();
    const ids = listed.map((workspace) => workspace.id);
    expect(new Set(ids).size).toBe(ids.length);
    const all = await server.services.db.selectFrom('workspaces').select('id').execute();
    expect([...ids].sort()).toEqual(all.map((row) => row.id).sort());
    // Newest first: the three just created come first, latest on top.
    expect(ids.slice(0, 3)).toEqual([...created].reverse());
    expect(listed[0]).toEqual({ id: created[2], name: 'Paged C', credits: 0 });
  });
});

describe('POST /api/admin/workspaces/:id/credits', () => {
  it('adds credits and answers the new balance', async () => {
    const { workspace, apiKey } = await createWorkspace({ name: 'Topped up', credits: 10 });

    const response = await admin.post(`/api/admin/workspaces/${workspace.id}/credits`, { amount: 40 });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, data: { credits: 50 } });
    expect(await readBalance(apiKey)).toBe(50);
  });

  it('removes credits with a negative amount', async () => {
    const { workspace, apiKey } = await createWorkspace({ name: 'Trimmed', credits: 100 });

    const response = await admin.post(`/api/admin/workspaces/${workspace.id}/credits`, { amount: -30 });

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ credits: 70 });
    expect(await readBalance(apiKey)).toBe(70);
  });

  it('refuses to remove more than the balance with 400 and leaves the balance unchanged', async () => {
    const { workspace, apiKey } = await createWorkspace({ name: 'Careful', credits: 20 });

    const response = await admin.post(`/api/admin/workspaces/${workspace.id}/credits`, { amount: -21 });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
    expect(response.body.error).toMatch(/below zero/);
    expect(await readBalance(apiKey)).toBe(20);
    const emptied = await admin.post(`/api/admin/workspaces/${workspace.id}/credits`, { amount: -20 });
    expect(emptied.body.data).toEqual({ credits: 0 });
  });

  it('refuses to take the balance past 2,147,483,647 with 400 and leaves the balance unchanged', async () => {
    const { workspace, apiKey } = await createWorkspace({ name: 'Rich', credits: 1_000_000_000 });
    const path = `/api/admin/workspaces/${workspace.id}/credits`;

    const topped = await admin.post(path, { amount: 1_000_000_000 });
    const refused = await admin.post(path, { amount: 1_000_000_000 });

    expect(topped.body.data).toEqual({ credits: 2_000_000_000 });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
    expect(refused.body.error).toMatch(/2,147,483,647/);
    expect(await readBalance(apiKey)).toBe(2_000_000_000);
    const filled = await admin.post(path, { amount: 147_483_647 });
    expect(filled.body.data).toEqual({ credits: 2_147_483_647 });
  });

  it.each([
    ['a zero amount', { amount: 0 }],
    ['a fractional amount', { amount: 2.5 }],
    ['a string amount', { amount: '10' }],
    ['no amount', {}],
  ])('refuses %s with 400 VALIDATION_ERROR', async (_case, body) => {
    const { workspace, apiKey } = await createWorkspace({ name: 'Validated', credits: 5 });

    const response = await admin.post(`/api/admin/workspaces/${workspace.id}/credits`, body);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
    expect(await readBalance(apiKey)).toBe(5);
  });

  it('answers 404 WORKSPACE_NOT_FOUND for an unknown workspace', async () => {
    const response = await admin.post('/api/admin/workspaces/no-such-workspace/credits', { amount: 5 });

    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      success: false,
      error: 'Workspace not found',
      code: 'WORKSPACE_NOT_FOUND',
    });
  });

  it('records every change in the credit ledger, which sums to the balance', async () => {
    const { workspace, apiKey } = await createWorkspace({ name: 'Audited', credits: 100 });
    const credits = `/api/admin/workspaces/${workspace.id}/credits`;
    await admin.post(credits, { amount: 50 });
    await admin.post(credits, { amount: -30 });
    const refused = await admin.post(credits, { amount: -1000 });
    const bot = await server.createChatbot(apiKey, { name: 'Spender' });
    const chat = await server.api(apiKey).post(`/api/v1/chatbots/${bot.id}/chat`, { message: 'Hi' });

    const ledger = await readLedger(workspace.id);
    const balance = await readBalance(apiKey);

    expect(refused.status).toBe(400);
    expect(chat.status).toBe(200);
    expect(balance).toBe(100 + 50 - 30 - 1);
    expect(ledger.slice(0, 3)).toEqual([
      { amount: 100, balance_after: 100, reason: 'grant' },
      { amount: 50, balance_after: 150, reason: 'grant' },
      { amount: -30, balance_after: 120, reason: 'adjustment' },
    ]);
    expect(ledger.some((entry) => entry.amount === -1000)).toBe(false);
    expect(ledger.reduce((sum, entry) => sum + entry.amount, 0)).toBe(balance);
    expect(ledger.at(-1)?.balance_after).toBe(balance);
  });
});
