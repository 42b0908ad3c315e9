import { countWorkspaces, findWorkspace } from '../../db/workspaces.repository.ts';
import type { Services } from '../../services.ts';
import { createChatbot } from '../chatbots/save-chatbot.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';

const DEMO_WORKSPACE_ID = 'demo';

export type DemoSeed = { workspaceId: string; chatbotId: string; apiKey: string };

/** On an empty database, creates a demo workspace, chatbot and key; answers undefined when there is data already. */
export async function seedDemo(services: Services): Promise<DemoSeed | undefined> {
  if ((await countWorkspaces(services.db)) > 0) return undefined;
  let created: Awaited<ReturnType<typeof createWorkspace>>;
  try {
    // A fixed id: when several instances start together on an empty database, one insert wins.
    created = await createWorkspace(services, {
      id: DEMO_WORKSPACE_ID,
      name: 'Demo workspace',
      credits: services.config.demoCredits,
    });
  } catch (error) {
    if (await findWorkspace(services.db, DEMO_WORKSPACE_ID)) return undefined;
    throw error;
  }
  const { workspace, apiKey } = created;
  const chatbot = await createChatbot(services, workspace.id, {
    name: 'PollyBot Demo',
    instructions: 'You are PollyBot Demo, a friendly assistant that helps people try PollyBot.',
  });
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
