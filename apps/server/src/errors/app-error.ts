import { type ErrorCode, errorCatalog } from './catalog.ts';

/** The one error class: a catalog code, a safe message, optional extra envelope fields, the internal cause. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly extra: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    options: { message?: string; extra?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(options.message ?? errorCatalog[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalog[code].status;
    this.extra = options.extra ?? {};
  }

  /** The failure envelope of the contract. */
  toEnvelope(): ErrorEnvelope {
    return { success: false, error: this.message, code: this.code, ...this.extra };
  }
}

export type ErrorEnvelope = { success: false; error: string; code: ErrorCode } & Record<string, unknown>;

/** The error an envelope was made from (its cause aside): a stored or streamed failure, raised again. */
export function appErrorFromEnvelope({
  code,
  error: message,
  success: _success,
  ...extra
}: ErrorEnvelope): AppError {
  return new AppError(code, { message, extra });
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
