// The dashboard's one way to the server: same-origin fetch, the contract's envelope, and the
// session's CSRF token on every request that changes something. Bodies are JSON, or multipart
// form data for uploads.

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

/** Turns a non-2xx response into an ApiError, reading the envelope when there is one. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = await response.json();
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page, say): fall back to the status.
  }
  const code = typeof body.code === 'string' ? body.code : `HTTP_${response.status}`;
  const message =
    typeof body.error === 'string'
      ? body.error
      : `The server answered ${response.status} ${response.statusText}`;
  const error = new ApiError(response.status, code, message, body);
  if (isSignedOutError(response.status, code)) for (const listener of unauthenticatedListeners) listener();
  return error;
}

async function send(method: string, path: string, options: RequestOptions): Promise<Record<string, unknown>> {
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
  const envelope: unknown = await response.json();
  return envelope && typeof envelope === 'object' ? (envelope as Record<string, unknown>) : {};
}

/** A request whose answer is `{success: true, data}`; resolves to `data`. */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const envelope = await send(method, path, options);
  return envelope.data as T;
}

/** A list request; resolves to its items and the cursor of the next page. */
export async function apiPage<T>(
  path: string,
  query: Query = {},
  signal?: AbortSignal,
): Promise<{ items: T[]; nextCursor: string | null }> {
  const envelope = await send('GET', path, { query, signal });
  const items = Array.isArray(envelope.data) ? (envelope.data as T[]) : [];
  const nextCursor = typeof envelope.nextCursor === 'string' ? envelope.nextCursor : null;
  return { items, nextCursor };
}

/** A resource holding one page of a list (a conversation and its messages); resolves to `data` and `nextCursor`. */
export async function apiWithCursor<T>(
  path: string,
  query: Query = {},
  signal?: AbortSignal,
): Promise<{ data: T; nextCursor: string | null }> {
  const envelope = await send('GET', path, { query, signal });
  const nextCursor = typeof envelope.nextCursor === 'string' ? envelope.nextCursor : null;
  return { data: envelope.data as T, nextCursor };
}
