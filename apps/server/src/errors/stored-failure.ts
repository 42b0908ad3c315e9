import { type ErrorCode, errorCatalog } from './catalog.ts';

/**
 * Why a stored reply failed: the error code it was stored with and that code's sentence from the catalog.
 * A code the catalog no longer knows (or none) reads as AI_PROVIDER_ERROR, the failure a reply can have.
 */
export function storedFailureOf(errorCode: string | null): { code: ErrorCode; message: string } {
  const code = (errorCode && errorCode in errorCatalog ? errorCode : 'AI_PROVIDER_ERROR') as ErrorCode;
  return { code, message: errorCatalog[code].message };
}
