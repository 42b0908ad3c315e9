import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { defaultChatbotValues } from './chatbot-form.ts';
import {
  chatbotFieldOf,
  checkEmail,
  checkPassword,
  parseMetadata,
  readFormFailure,
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

  it('limits the fallback message to 2,000 characters and lets it be empty', () => {
    expect(
      validateChatbotForm({ ...valid, fallbackMessage: 'x'.repeat(2_001) }).fallbackMessage,
    ).toBeDefined();
    expect(validateChatbotForm({ ...valid, fallbackMessage: '' })).toEqual({});
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

describe('readFormFailure', () => {
  it("puts a 400's details on the form's fields, with no sentence when they say it all", () => {
    const error = new ApiError(400, 'VALIDATION_ERROR', 'Invalid request: body.name: Required', {
      details: [{ path: 'body.name', message: 'Required' }],
    });
    expect(readFormFailure(error, chatbotFieldOf)).toEqual({
      fieldErrors: { name: 'Required' },
      message: undefined,
      isValidation: true,
    });
  });

  it("keeps the envelope's sentence when a detail names no field of the form", () => {
    const error = new ApiError(400, 'VALIDATION_ERROR', 'Invalid request: body.kind: Invalid input', {
      details: [{ path: 'body.kind', message: 'Invalid input' }],
    });
    expect(readFormFailure(error, chatbotFieldOf)).toEqual({
      fieldErrors: {},
      message: 'Invalid request: body.kind: Invalid input',
      isValidation: true,
    });
  });

  it("shows any other failure by the envelope's sentence", () => {
    const error = new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The file is larger than the limit of 50 MB');
    expect(readFormFailure(error, chatbotFieldOf)).toEqual({
      fieldErrors: {},
      message: 'The file is larger than the limit of 50 MB',
      isValidation: false,
    });
    expect(readFormFailure('boom', chatbotFieldOf).message).toBe('The request failed.');
  });
});
