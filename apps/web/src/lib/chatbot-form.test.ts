import { describe, expect, it } from 'vitest';
import type { Chatbot } from '../api/types.ts';
import { chatbotToValues, describeTemperature, valuesToCreate, valuesToUpdate } from './chatbot-form.ts';

const chatbot: Chatbot = {
  id: 'cb1',
  name: 'Support',
  instructions: 'Be kind.',
  model: 'local/pollybot',
  temperature: 0.7,
  maxTokens: 1024,
  streaming: false,
  rateLimit: { requests: 60, windowSeconds: 60 },
  fallbackMessage: null,
  status: 'active',
  createdAt: '2026-11-24T00:00:00Z',
  updatedAt: '2026-11-24T00:00:00Z',
};

describe('chatbot form conversion', () => {
  it('round-trips a chatbot through the form values', () => {
    const { id, createdAt, updatedAt, ...fields } = chatbot;
    expect(valuesToCreate(chatbotToValues(chatbot))).toEqual(fields);
  });

  it('sends only the changed fields, so the rate-limit window is not restarted needlessly', () => {
    const initial = chatbotToValues(chatbot);
    expect(valuesToUpdate(initial, { ...initial, name: ' Sales ' })).toEqual({ name: 'Sales' });
    expect(valuesToUpdate(initial, initial)).toEqual({});
    expect(valuesToUpdate(initial, { ...initial, rateLimitRequests: '10' })).toEqual({
      rateLimit: { requests: 10, windowSeconds: 60 },
    });
  });

  it('sends an empty fallback message as null, the built-in wording, and a written one trimmed', () => {
    const initial = chatbotToValues(chatbot);
    expect(initial.fallbackMessage).toBe('');
    expect(valuesToCreate({ ...initial, fallbackMessage: '   ' }).fallbackMessage).toBeNull();
    expect(
      valuesToUpdate(initial, { ...initial, fallbackMessage: ' Ask our team at help@acme.test. ' }),
    ).toEqual({
      fallbackMessage: 'Ask our team at help@acme.test.',
    });
    const written = chatbotToValues({ ...chatbot, fallbackMessage: 'Ask our team.' });
    expect(written.fallbackMessage).toBe('Ask our team.');
    expect(valuesToUpdate(written, { ...written, fallbackMessage: '' })).toEqual({ fallbackMessage: null });
  });

  it('describes temperatures', () => {
    expect(describeTemperature(0)).toMatch(/^Precise/);
    expect(describeTemperature(0.7)).toMatch(/^Balanced/);
    expect(describeTemperature(1.6)).toMatch(/^Creative/);
  });
});
