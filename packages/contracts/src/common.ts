import { z } from 'zod';

// Building blocks shared by the contract's schema files.

/** Text that is well-formed Unicode and free of NUL, which no database stores faithfully. */
export const storableText = z
  .string()
  .refine((text) => text.isWellFormed(), 'must be well-formed Unicode (no lone surrogates)')
  .refine((text) => !text.includes('\u0000'), 'must not contain NUL characters');

export const idSchema = z.string().min(1).max(64);

/** `?limit` of every list: 1-100, 20 by default. */
export const listLimitSchema = z.coerce.number().int().min(1).max(100).default(20);

export const workspaceSchema = z.object({ id: z.string(), name: z.string(), credits: z.number().int() });
