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

export const API_KEY_ERRORS: ErrorCode[] = ['INVALID_API_KEY'];
export const ADMIN_ERRORS: ErrorCode[] = ['INVALID_ADMIN_TOKEN'];
export const apiKeySecurity = [{ apiKey: [] }];
export const adminSecurity = [{ adminToken: [] }];
