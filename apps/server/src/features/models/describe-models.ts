import { MODEL_PROVIDERS } from '@pollybot/contracts';
import type { ModelGateway } from '../../models/model-gateway.ts';
import { SUGGESTED_MODELS } from '../../models/suggested-models.ts';

/**
 * What a chatbot's `model` may be on this server: every provider, whether it is configured, and model names
 * to suggest. The default model and every model given its own price come first in their provider's list.
 */
export function describeModels(
  models: Pick<ModelGateway, 'configuredProviders'>,
  settings: { defaultModel: string; modelPrices: Record<string, number> },
) {
  const configured = new Set<string>(models.configuredProviders());
  const named = [settings.defaultModel, ...Object.keys(settings.modelPrices)];
  return {
    providers: MODEL_PROVIDERS.map((provider) => {
      const prefix = `${provider}/`;
      const chosen = named
        .filter((model) => model.startsWith(prefix) && model !== `${prefix}*`)
        .map((model) => model.slice(prefix.length));
      return {
        id: provider,
        configured: configured.has(provider),
        models: [...new Set([...chosen, ...SUGGESTED_MODELS[provider]])],
      };
    }),
    default: settings.defaultModel,
  };
}
