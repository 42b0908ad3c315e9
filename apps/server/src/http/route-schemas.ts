import { errorEnvelopeSchema } from '@pollybot/contracts';
import type { z } from 'zod';
import { type ErrorCode, errorCatalog } from '../errors/catalog.ts';

// Every route can answer these: malformed input, an oversized body, a wrong content type, a fault,
// and 503 to a request that arrives while the server drains.
const ALWAYS: ErrorCode[] = [
  'VALIDATION_ERROR',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTERNAL_ERROR',
  'SERVICE_UNAVAILABLE',
];

/** Response schemas for the error codes a route can answer, grouped by status and listed for the OpenAPI document. */
export function errorResponses(codes: ErrorCode[]): Record<number, z.ZodType> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...codes, ...ALWAYS]) {
    const { status } = errorCatalog[code];
    const list = byStatus.get(status) ?? [];
    if (!list.includes(code)) list.push(code);
    byStatus.set(status, list);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      status,
      errorEnvelopeSchema.describe(list.map((code) => `${code}: ${errorCatalog[code].message}`).join('; ')),
    ]),
  );
}

/** Every workspace route: neither a valid API key nor a session cookie. */
export const API_KEY_ERRORS: ErrorCode[] = ['INVALID_API_KEY'];
/** Workspace routes that change something: with the session cookie, X-CSRF-Token is required too. */
export const CHANGE_ERRORS: ErrorCode[] = [...API_KEY_ERRORS, 'CSRF_TOKEN_INVALID'];
export const ADMIN_ERRORS: ErrorCode[] = ['INVALID_ADMIN_TOKEN'];
/** A workspace API key, or the dashboard's session cookie. */
export const workspaceSecurity: Record<string, string[]>[] = [{ apiKey: [] }, { session: [] }];
/** Routes for people only: the session cookie. */
export const sessionSecurity: Record<string, string[]>[] = [{ session: [] }];
export const adminSecurity: Record<string, string[]>[] = [{ adminToken: [] }];
