import { describe, expect, it } from 'vitest';
import { ANTHROPIC_DEFAULT_BASE_URL, toAnthropicBaseUrl } from './anthropic-base-url.ts';

describe('toAnthropicBaseUrl', () => {
  it.each([
    ['http://127.0.0.1:1234', 'http://127.0.0.1:1234/v1'],
    ['http://127.0.0.1:1234/', 'http://127.0.0.1:1234/v1'],
    ['http://127.0.0.1:1234/v1', 'http://127.0.0.1:1234/v1'],
    ['http://127.0.0.1:1234/v1/', 'http://127.0.0.1:1234/v1'],
    ['https://gateway.example/anthropic', 'https://gateway.example/anthropic/v1'],
  ])('reads %s as %s', (configured, expected) => {
    expect(toAnthropicBaseUrl(configured)).toBe(expected);
  });

  it('defaults to Anthropic’s endpoint', () => {
    expect(toAnthropicBaseUrl(undefined)).toBe(ANTHROPIC_DEFAULT_BASE_URL);
  });
});
