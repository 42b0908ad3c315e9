import { describe, expect, it } from 'vitest';
import { defaultChatbotValues } from './chatbot-form.ts';
import {
  chatbotFieldOf,
  checkEmail,
  checkPassword,
  parseMetadata,
  validateChatbotForm,
} from './validation.ts';

describe('validateChatbotForm', () => {
  const valid = { ...defaultChatbotValues('local/pollybot'), name: 'Support' };

  it('accepts the defaults with a name', () => {
    expect(validateChatbotForm(valid)).toEqual({});
  });

  it('reports each rule of the contract on its field', () => {
    const errors = validateChatbotForm({
      ...valid,
      name: '   ',
      model: 'gpt-4o',
      temperature: 2.5,
      maxTokens: '1.5',
      rateLimitRequests: '0',
      rateLimitWindowSeconds: '',
    });
    expect(Object.keys(errors).sort()).toEqual(
      ['maxTokens', 'model', 'name', 'rateLimitRequests', 'rateLimitWindowSeconds', 'temperature'].sort(),
    );
    expect(errors.maxTokens).toContain('whole number');
    expect(errors.rateLimitWindowSeconds).toContain('required');
  });

  it('limits the window to one day and instructions to 32,000 characters', () => {
    expect(
      validateChatbotForm({ ...valid, rateLimitWindowSeconds: '86401' }).rateLimitWindowSeconds,
    ).toBeDefined();
    expect(validateChatbotForm({ ...valid, instructions: 'x'.repeat(32_001) }).instructions).toBeDefined();
  });
});

describe('form helpers', () => {
  it("maps the server's validation paths to form fields", () => {
    expect(chatbotFieldOf('rateLimit.windowSeconds')).toBe('rateLimitWindowSeconds');
    expect(chatbotFieldOf('model')).toBe('model');
    expect(chatbotFieldOf('unknown')).toBeUndefined();
  });

  it('checks emails and the 10-character password rule', () => {
    expect(checkEmail('a@b.co')).toBeUndefined();
    expect(checkEmail('nope')).toBeDefined();
    expect(checkPassword('short')).toContain('10');
    expect(checkPassword('long enough!')).toBeUndefined();
  });

  it('parses metadata as a JSON object or nothing', () => {
    expect(parseMetadata('')).toEqual({ ok: true, value: undefined });
    expect(parseMetadata('{"userId":"u1"}')).toEqual({ ok: true, value: { userId: 'u1' } });
    expect(parseMetadata('[1]').ok).toBe(false);
    expect(parseMetadata('{oops').ok).toBe(false);
  });
});
