import { describe, expect, it } from 'vitest';
import { ApiError, buildUrl, encodeBody, isSignedOutError, requestHeaders, setCsrfToken } from './client.ts';

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
