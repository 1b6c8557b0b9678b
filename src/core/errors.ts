/**
 * One error class with stable codes (conventions.md #9). Library code throws
 * VitrineError; the CLI and the server map `code` to an exit status or an
 * HTTP status through the tables below, so a new code that is missing from a
 * table fails to compile.
 */

export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'FILE_NOT_FOUND',
  'UNKNOWN_FORMAT',
  'MALFORMED_INPUT',
  'UNKNOWN_ID',
  'CORRUPT_IMAGE',
  'MODEL_NOT_FOUND',
  'MODEL_INCOMPATIBLE',
  'NOT_FITTED',
  'DATASET_NOT_FOUND',
  'STORE_ERROR',
  'CONFLICT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'ABORTED',
  'UNSUPPORTED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status for each code (used by the service). */
export const HTTP_STATUS = {
  INVALID_ARGUMENT: 400,
  FILE_NOT_FOUND: 404,
  UNKNOWN_FORMAT: 415,
  MALFORMED_INPUT: 400,
  UNKNOWN_ID: 404,
  CORRUPT_IMAGE: 422,
  MODEL_NOT_FOUND: 404,
  MODEL_INCOMPATIBLE: 409,
  NOT_FITTED: 409,
  DATASET_NOT_FOUND: 404,
  STORE_ERROR: 500,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  ABORTED: 499,
  UNSUPPORTED: 501,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>;

/** CLI exit status for each code: 2 for bad input from the user, 1 for faults of vitrine or the system. */
export const EXIT_STATUS = {
  INVALID_ARGUMENT: 2,
  FILE_NOT_FOUND: 2,
  UNKNOWN_FORMAT: 2,
  MALFORMED_INPUT: 2,
  UNKNOWN_ID: 2,
  CORRUPT_IMAGE: 2,
  MODEL_NOT_FOUND: 2,
  MODEL_INCOMPATIBLE: 2,
  NOT_FITTED: 2,
  DATASET_NOT_FOUND: 2,
  STORE_ERROR: 1,
  CONFLICT: 2,
  UNAUTHORIZED: 2,
  FORBIDDEN: 2,
  RATE_LIMITED: 2,
  PAYLOAD_TOO_LARGE: 2,
  ABORTED: 130,
  UNSUPPORTED: 2,
  INTERNAL: 1,
} as const satisfies Record<ErrorCode, number>;

export interface ErrorOptions {
  hint?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class VitrineError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, opts: ErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'VitrineError';
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details;
  }

  toJSON(): { code: ErrorCode; message: string; hint?: string } {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }
}

/** Shorthand constructor: `fail('UNKNOWN_ID', 'no shopper "u9"')`. */
export function fail(code: ErrorCode, message: string, opts?: ErrorOptions): never {
  throw new VitrineError(code, message, opts);
}

export function isVitrineError(e: unknown): e is VitrineError {
  return e instanceof VitrineError;
}

/** Normalises any throwable at a boundary (CLI, HTTP) into a VitrineError. */
export function toVitrineError(e: unknown): VitrineError {
  if (e instanceof VitrineError) return e;
  if (e instanceof Error) {
    const errno = (e as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT') return new VitrineError('FILE_NOT_FOUND', e.message, { cause: e });
    if (errno === 'EACCES' || errno === 'EISDIR' || errno === 'ENOTDIR') {
      return new VitrineError('INVALID_ARGUMENT', e.message, { cause: e });
    }
    if (e.name === 'AbortError') return new VitrineError('ABORTED', 'operation aborted', { cause: e });
    return new VitrineError('INTERNAL', e.message, { cause: e });
  }
  return new VitrineError('INTERNAL', String(e));
}

/** Throws ABORTED when the signal has fired; call between epochs and batches. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new VitrineError('ABORTED', 'operation aborted');
}
