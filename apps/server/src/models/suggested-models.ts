import type { ModelProvider } from '@pollybot/contracts';

/**
 * Model names offered when choosing a chatbot's model: common ones, not a limit (any name the provider
 * knows works). Kept short and current by hand.
 */
export const SUGGESTED_MODELS: Record<ModelProvider, string[]> = {
  openai: ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'gpt-4.1', 'o4-mini'],
  anthropic: ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'],
  ollama: ['llama3.2', 'qwen2.5', 'mistral', 'gemma3'],
  local: ['pollybot'],
};
