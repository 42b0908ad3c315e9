import { chatbotSchema, workspaceSchema } from '@pollybot/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  api,
  apiPage,
  buildUrl,
  encodeBody,
  isSignedOutError,
  requestHeaders,
  setCsrfToken,
} from './client.ts';

describe('API client helpers', () => {
  it('builds query strings without empty values', () => {
    expect(
      buildUrl('/api/v1/conversations', { q: 'hi there', cursor: undefined, limit: 25, userId: '' }),
    ).toBe('/api/v1/conversations?q=hi+there&limit=25');
    expect(buildUrl('/api/v1/chatbots')).toBe('/api/v1/chatbots');
  });

  it('sends the CSRF token on changes only', () => {
    setCsrfToken('token-1');
    expect(requestHeaders('POST', true)).toMatchObject({
      'X-CSRF-Token': 'token-1',
      'Content-Type': 'application/json',
    });
    expect(requestHeaders('DELETE', false)['X-CSRF-Token']).toBe('token-1');
    expect(requestHeaders('GET', false)['X-CSRF-Token']).toBeUndefined();
    setCsrfToken(undefined);
    expect(requestHeaders('PATCH', true)['X-CSRF-Token']).toBeUndefined();
  });

  it('sends values as JSON and form data as it is, so fetch sets the multipart boundary', () => {
    expect(encodeBody({ kind: 'text' })).toEqual({ body: '{"kind":"text"}', isJson: true });
    expect(encodeBody(undefined)).toEqual({ body: undefined, isJson: false });
    const form = new FormData();
    form.append('title', 'Returns');
    const encoded = encodeBody(form);
    expect(encoded.body).toBe(form);
    expect(encoded.isJson).toBe(false);
    setCsrfToken('token-2');
    expect(requestHeaders('POST', encoded.isJson)).toEqual({
      Accept: 'application/json',
      'X-CSRF-Token': 'token-2',
    });
    setCsrfToken(undefined);
  });

  it('reads retryAfter and field errors from a failure envelope', () => {
    const limited = new ApiError(429, 'RATE_LIMIT_EXCEEDED', 'Slow down', { retryAfter: 12 });
    expect(limited.retryAfter).toBe(12);
    const invalid = new ApiError(400, 'VALIDATION_ERROR', 'Invalid', {
      details: [
        { path: 'body.rateLimit.requests', message: 'Too small' },
        { path: 'body.name', message: 'Required' },
      ],
    });
    expect(invalid.fieldErrors).toEqual({ 'rateLimit.requests': 'Too small', name: 'Required' });
    expect(new ApiError(500, 'INTERNAL_ERROR', 'x').fieldErrors).toEqual({});
  });

  it('treats a 401 for a missing session or key as signed out, but not wrong credentials', () => {
    expect(isSignedOutError(401, 'INVALID_API_KEY')).toBe(true);
    expect(isSignedOutError(401, 'NOT_AUTHENTICATED')).toBe(true);
    expect(isSignedOutError(401, 'INVALID_CREDENTIALS')).toBe(false);
    expect(isSignedOutError(403, 'CSRF_TOKEN_INVALID')).toBe(false);
  });
});

describe('API responses checked against the contract', () => {
  const answer = (body: unknown, status = 200) =>
    vi.fn(
      async () =>
        new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
    );
  afterEach(() => vi.unstubAllGlobals());

  it('resolves to the data of an answer that matches its schema', async () => {
    vi.stubGlobal('fetch', answer({ success: true, data: { id: 'ws_1', name: 'Acme', credits: 12 } }));
    await expect(api('GET', '/api/v1/workspace', workspaceSchema)).resolves.toEqual({
      id: 'ws_1',
      name: 'Acme',
      credits: 12,
    });
  });

  it('rejects an answer of another shape with UNEXPECTED_RESPONSE naming the request and the field', async () => {
    vi.stubGlobal('fetch', answer({ success: true, data: { id: 'ws_1', name: 'Acme', credits: '12' } }));
    const failure = await api('GET', '/api/v1/workspace', workspaceSchema).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 200, code: 'UNEXPECTED_RESPONSE' });
    expect((failure as ApiError).message).toContain('GET /api/v1/workspace');
    expect((failure as ApiError).message).toContain('data.credits');
  });

  it('rejects a 2xx answer that is not a success envelope', async () => {
    vi.stubGlobal('fetch', answer({ id: 'ws_1' }));
    await expect(api('GET', '/api/v1/workspace', workspaceSchema)).rejects.toMatchObject({
      code: 'UNEXPECTED_RESPONSE',
    });
  });

  it('checks every item of a page and its cursor', async () => {
    vi.stubGlobal('fetch', answer({ success: true, data: [{ id: 'cb_1' }], nextCursor: null }));
    await expect(apiPage('/api/v1/chatbots', chatbotSchema)).rejects.toMatchObject({
      code: 'UNEXPECTED_RESPONSE',
    });
    vi.stubGlobal('fetch', answer({ success: true, data: [], nextCursor: 7 }));
    await expect(apiPage('/api/v1/chatbots', chatbotSchema)).rejects.toMatchObject({
      code: 'UNEXPECTED_RESPONSE',
    });
    vi.stubGlobal('fetch', answer({ success: true, data: [], nextCursor: 'c2' }));
    await expect(apiPage('/api/v1/chatbots', chatbotSchema)).resolves.toEqual({
      items: [],
      nextCursor: 'c2',
    });
  });

  it('still turns a failure envelope into its ApiError', async () => {
    vi.stubGlobal(
      'fetch',
      answer({ success: false, error: 'Chatbot not found', code: 'CHATBOT_NOT_FOUND' }, 404),
    );
    await expect(api('GET', '/api/v1/chatbots/x', chatbotSchema)).rejects.toMatchObject({
      status: 404,
      code: 'CHATBOT_NOT_FOUND',
    });
  });

  it('falls back to the status for a failure that is not the contract envelope', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' })),
    );
    await expect(api('GET', '/api/v1/workspace', workspaceSchema)).rejects.toMatchObject({
      status: 502,
      code: 'HTTP_502',
      message: 'The server answered 502 Bad Gateway',
    });
  });
});
