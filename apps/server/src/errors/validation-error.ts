import { AppError } from './app-error.ts';

/** One refused part of a request: where it is (`body.email`, `query.cursor`, `headers.idempotency-key`), and why. */
export type ValidationDetail = { path: string; message: string };

/** Where a request carries its input. */
export type InputPart = 'body' | 'query' | 'querystring' | 'headers';

/**
 * The one way to build a 400 VALIDATION_ERROR: its sentence lists each refusal ("Invalid request: path:
 * message; …") unless given one, and its `details` hold them.
 */
export function validationErrors(details: readonly ValidationDetail[], sentence?: string): AppError {
  const summary = details.map((detail) => `${detail.path}: ${detail.message}`).join('; ');
  return new AppError('VALIDATION_ERROR', {
    message: sentence ?? `Invalid request: ${summary}`,
    extra: { details: [...details] },
  });
}

/** A VALIDATION_ERROR for one refused part of the request. */
export function validationError(path: string, message: string, sentence?: string): AppError {
  return validationErrors([{ path, message }], sentence);
}

/**
 * A VALIDATION_ERROR for one field of a feature's input, named as the feature knows it (`email`, `cursor`);
 * the input arrives in the request's body unless said otherwise.
 */
export function invalidField(field: string, message: string, part: InputPart = 'body'): AppError {
  return validationError(`${part}.${field}`, message);
}
