import { describe, expect, it } from 'vitest';
import { priceOfModel } from './credit-service.ts';

describe('priceOfModel', () => {
  const prices = { 'openai/gpt-4o': 5, 'anthropic/*': 3, 'local/pollybot': 0 };

  it('prefers the exact model, then the provider wildcard, then 1', () => {
    expect(priceOfModel(prices, 'openai/gpt-4o')).toBe(5);
    expect(priceOfModel(prices, 'anthropic/claude-sonnet')).toBe(3);
    expect(priceOfModel(prices, 'openai/gpt-4o-mini')).toBe(1);
    expect(priceOfModel({}, 'ollama/llama3')).toBe(1);
  });

  it('allows a free model', () => {
    expect(priceOfModel(prices, 'local/pollybot')).toBe(0);
  });
});
