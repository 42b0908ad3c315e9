import { readFile } from 'node:fs/promises';
import { countWorkspaces, findWorkspace } from '../../db/workspaces.repository.ts';
import { type ChatbotCreateDeps, createChatbot } from '../chatbots/save-chatbot.ts';
import { createKnowledgeSource, type KnowledgeDeps } from '../knowledge/knowledge-sources.ts';
import { createWorkspace, type WorkspaceCreateDeps } from '../workspaces/create-workspace.ts';

const DEMO_WORKSPACE_ID = 'demo';

/** PollyBot's own documentation, shipped next to this module, that the demo chatbot answers from: file and title. */
export const DEMO_KNOWLEDGE = [
  { file: 'getting-started.md', title: 'Getting started' },
  { file: 'streaming.md', title: 'Streaming replies' },
  { file: 'models.md', title: 'Models and providers' },
  { file: 'limits-and-credits.md', title: 'Rate limits and credits' },
  { file: 'api-keys.md', title: 'API keys and the dashboard' },
  { file: 'knowledge.md', title: 'Knowledge sources' },
] as const;

const DEMO_INSTRUCTIONS =
  'You are PollyBot Demo, a friendly assistant that helps people try PollyBot. Answer questions about ' +
  'PollyBot (sending messages, conversations, streaming, models and providers, rate limits, credits, API keys, ' +
  'knowledge sources and the dashboard) from its documentation, briefly and with the exact API fields, headers and variables.';

export type DemoSeed = { workspaceId: string; chatbotId: string; apiKey: string };

/** What seeding takes: what creating a workspace, a chatbot and a knowledge source take, and the demo's credits. */
export type DemoDeps = WorkspaceCreateDeps & ChatbotCreateDeps & KnowledgeDeps & { demoCredits: number };

/** On an empty database, creates a demo workspace, chatbot and key; answers undefined when there is data already. */
export async function seedDemo(deps: DemoDeps): Promise<DemoSeed | undefined> {
  if ((await countWorkspaces(deps.db)) > 0) return undefined;
  let created: Awaited<ReturnType<typeof createWorkspace>>;
  try {
    // A fixed id: when several instances start together on an empty database, one insert wins.
    created = await createWorkspace(deps, {
      id: DEMO_WORKSPACE_ID,
      name: 'Demo workspace',
      credits: deps.demoCredits,
      origin: 'demo',
    });
  } catch (error) {
    if (await findWorkspace(deps.db, DEMO_WORKSPACE_ID)) return undefined;
    throw error;
  }
  const { workspace, apiKey } = created;
  const chatbot = await createChatbot(deps, workspace.id, {
    name: 'PollyBot Demo',
    instructions: DEMO_INSTRUCTIONS,
  });
  // Ingested in the background like any source: the first replies may come before the documentation is ready.
  for (const { file, title } of DEMO_KNOWLEDGE) {
    const content = await readFile(new URL(`./knowledge/${file}`, import.meta.url), 'utf8');
    await createKnowledgeSource(deps, chatbot, { kind: 'text', title, content });
  }
  return { workspaceId: workspace.id, chatbotId: chatbot.id, apiKey };
}

/** The ready-to-run command printed after the demo is created. */
export function formatDemoCurl(baseUrl: string, seed: DemoSeed): string {
  return [
    `curl -s ${baseUrl}/api/v1/chatbots/${seed.chatbotId}/chat \\`,
    `  -H "Authorization: Bearer ${seed.apiKey}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"message": "Hello, how can you help me?"}'`,
  ].join('\n');
}
