// The dashboard's one way to the server: same-origin fetch, the contract's envelope, and the
// session's CSRF token on every request that changes something. Bodies are JSON, or multipart
// form data for uploads. Every answer is checked against the contract's schema of that response when it
// arrives: an answer of another shape is an UNEXPECTED_RESPONSE error, never a silently wrong value.

import { errorEnvelopeSchema } from '@pollybot/contracts';
import type { z } from 'zod';

/** A failure answered by the server (or the network), in the contract's terms. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: Record<string, unknown>;

  constructor(status: number, code: string, message: string, body: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.body = body;
  }

  /** Seconds to wait, for a 429 (from the body's `retryAfter`). */
  get retryAfter(): number | undefined {
    const value = this.body.retryAfter;
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }

  /** Field errors of a 400 VALIDATION_ERROR, keyed by the field's path without `body.`. */
  get fieldErrors(): Record<string, string> {
    const details = this.body.details;
    const errors: Record<string, string> = {};
    if (!Array.isArray(details)) return errors;
    for (const detail of details) {
      if (detail && typeof detail.path === 'string' && typeof detail.message === 'string') {
        errors[detail.path.replace(/^body\.?/, '')] ??= detail.message;
      }
    }
    return errors;
  }
}

let csrfToken: string | undefined;
const unauthenticatedListeners = new Set<() => void>();

/** Remembers the session's CSRF token, sent as X-CSRF-Token on POST, PATCH and DELETE. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Calls `listener` whenever the server says the session is gone (see isSignedOutError). */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export type Query = Record<string, string | number | undefined | null>;

export interface RequestOptions {
  /** A value sent as JSON, or FormData sent as multipart/form-data. */
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
}

/** Builds `path?query`, leaving out empty values. */
export function buildUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** Headers for a request; JSON and CSRF where they apply. */
export function requestHeaders(method: string, hasJsonBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (hasJsonBody) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return headers;
}

/**
 * A request body as fetch sends it. FormData goes as it is: fetch writes its multipart Content-Type,
 * whose boundary only it knows, so no Content-Type may be set for it.
 */
export function encodeBody(body: unknown): { body: BodyInit | undefined; isJson: boolean } {
  if (body === undefined) return { body: undefined, isJson: false };
  if (body instanceof FormData) return { body, isJson: false };
  return { body: JSON.stringify(body), isJson: true };
}

/**
 * Whether a failure means the session is gone: `/api/v1` answers a missing or ended session with
 * 401 INVALID_API_KEY (as for a bad key), `/api/auth/session` with 401 NOT_AUTHENTICATED.
 */
export function isSignedOutError(status: number, code: string): boolean {
  return status === 401 && (code === 'NOT_AUTHENTICATED' || code === 'INVALID_API_KEY');
}

/**
 * Turns a non-2xx response into an ApiError, from the contract's failure envelope when the body is one (its
 * extra fields, such as retryAfter or details, kept); anything else (a proxy's error page, say) falls back
 * to the status.
 */
export async function toApiError(response: Response): Promise<ApiError> {
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch {
    // Not JSON: the status is all there is to go on.
  }
  const envelope = errorEnvelopeSchema.safeParse(parsed);
  const error = envelope.success
    ? new ApiError(response.status, envelope.data.code, envelope.data.error, envelope.data)
    : new ApiError(
        response.status,
        `HTTP_${response.status}`,
        `The server answered ${response.status} ${response.statusText}`,
      );
  if (isSignedOutError(response.status, error.code)) {
    for (const listener of unauthenticatedListeners) listener();
  }
  return error;
}

/** The answer of a request: its status and its parsed JSON body. */
interface Answer {
  status: number;
  body: unknown;
}

async function send(method: string, path: string, options: RequestOptions): Promise<Answer> {
  const encoded = encodeBody(options.body);
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      credentials: 'same-origin',
      headers: requestHeaders(method, encoded.isJson),
      body: encoded.body,
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(
      0,
      'NETWORK_ERROR',
      'The server could not be reached. Check that PollyBot is running.',
    );
  }
  if (!response.ok) throw await toApiError(response);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw unexpectedResponse(method, path, response.status, 'it is not JSON');
  }
  return { status: response.status, body };
}

/** A 2xx answer that is not what the contract promises: a failure of its own, never a silently wrong value. */
function unexpectedResponse(method: string, path: string, status: number, why: string): ApiError {
  return new ApiError(
    status,
    'UNEXPECTED_RESPONSE',
    `The server's answer to ${method} ${path} does not match the API contract: ${why}.`,
  );
}

/** The first problem zod found, as `path: message`. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'it is invalid';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

/**
 * Checks a success envelope, `{success: true, data, nextCursor?}`, and its `data` against `schema`, which
 * is the contract's schema of that response; resolves to the parsed data and the cursor when there is one.
 */
async function request<Schema extends z.ZodType>(
  method: string,
  path: string,
  schema: Schema,
  options: RequestOptions,
): Promise<{ data: z.output<Schema>; nextCursor: string | null }> {
  const answer = await send(method, path, options);
  const envelope = answer.body;
  if (!envelope || typeof envelope !== 'object' || !('success' in envelope) || envelope.success !== true) {
    throw unexpectedResponse(method, path, answer.status, 'it is not a success envelope');
  }
  const parsed = schema.safeParse('data' in envelope ? envelope.data : undefined);
  if (!parsed.success) {
    throw unexpectedResponse(method, path, answer.status, `data.${describeIssue(parsed.error)}`);
  }
  const nextCursor = 'nextCursor' in envelope ? envelope.nextCursor : null;
  if (nextCursor !== null && nextCursor !== undefined && typeof nextCursor !== 'string') {
    throw unexpectedResponse(method, path, answer.status, 'nextCursor: expected a string or null');
  }
  return { data: parsed.data, nextCursor: nextCursor ?? null };
}

/** A request whose answer is `{success: true, data}`, `data` checked against `schema`; resolves to `data`. */
export async function api<Schema extends z.ZodType>(
  method: string,
  path: string,
  schema: Schema,
  options: RequestOptions = {},
): Promise<z.output<Schema>> {
  return (await request(method, path, schema, options)).data;
}

/** A list request, each item checked against `itemSchema`; resolves to the items and the next page's cursor. */
export async function apiPage<Schema extends z.ZodType>(
  path: string,
  itemSchema: Schema,
  query: Query = {},
  signal?: AbortSignal,
): Promise<Page<z.output<Schema>>> {
  const { data, nextCursor } = await request('GET', path, itemSchema.array(), { query, signal });
  return { items: data, nextCursor };
}

/** One page of a list: its items and the cursor of the next page (null: none). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A resource holding one page of a list (a conversation and its messages), checked against `schema`;
 * resolves to `data` and `nextCursor`.
 */
export async function apiWithCursor<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
  query: Query = {},
  signal?: AbortSignal,
): Promise<{ data: z.output<Schema>; nextCursor: string | null }> {
  return request('GET', path, schema, { query, signal });
}
