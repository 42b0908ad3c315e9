import { z } from 'zod';

// Building blocks shared by the contract's schema files.

/**
 * The string schema `text` (its trimming and limits), which must also be well-formed Unicode and free of NUL,
 * which no database stores faithfully. Checks added to the string itself, unlike a pipe, stay visible in its
 * JSON Schema (the OpenAPI document).
 */
export function storable<T extends z.ZodString>(text: T): T {
  return text
    .refine((value) => value.isWellFormed(), 'must be well-formed Unicode (no lone surrogates)')
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters');
}

/** Not empty once trimmed: a check that shows in the JSON Schema as the pattern `\S`. */
export const NOT_BLANK = [/\S/, 'must not be empty'] as const;

/** Text without NUL, which PostgreSQL refuses in any query (as a regex, so that the JSON Schema shows it). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the very character refused
export const NO_NUL = [/^[^\u0000]*$/, 'must not contain NUL characters'] as const;

export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(...NO_NUL);

/** What an id of ours can look like: 1-64 URL-safe characters. */
const POSSIBLE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * An id in a URL path. Any text is accepted, so a lookup decides, and an id no resource can have (too long,
 * not URL-safe, a NUL) answers the resource's own 404 rather than a 400: the contract puts the lookup before
 * validation. Such an id reads as the empty id, which no row has, so no database ever sees the odd text.
 */
export const pathIdSchema = z
  .string()
  .transform((id) => (POSSIBLE_ID.test(id) ? id : ''))
  .meta({ description: 'An id; an unknown one answers 404' });

/** `?limit` of every list: 1-100, 20 by default. */
export const listLimitSchema = z.coerce.number().int().min(1).max(100).default(20);

export const workspaceSchema = z.object({ id: z.string(), name: z.string(), credits: z.number().int() });
