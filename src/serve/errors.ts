import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_STATUS, VitrineError, toVitrineError, type ErrorCode } from '../core/errors.js';

/**
 * Errors at the HTTP boundary (conventions.md #9): every failure leaves as
 *   { "error": { "code", "message", "hint"? } }
 * with the status from HTTP_STATUS. Fastify's own errors (validation, body
 * parsing, limits) and plugin errors (rate limit, multipart) are mapped to
 * the stable codes here; anything else is INTERNAL, logged, its message
 * withheld.
 */

export interface ErrorBody {
  error: { code: ErrorCode; message: string; hint?: string };
}

/** Fastify and plugin error codes → vitrine codes. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_VALIDATION: 'INVALID_ARGUMENT',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_INPUT',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_INPUT',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_INPUT',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNKNOWN_FORMAT',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FIELDS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNKNOWN_FORMAT',
  FST_MP_PREMATURE_CLOSE: 'MALFORMED_INPUT',
  FST_PROTO_VIOLATION: 'MALFORMED_INPUT',
  FST_ERR_NOT_FOUND: 'UNKNOWN_ID',
};

const HINTS: Partial<Record<ErrorCode, string>> = {
  UNAUTHORIZED: 'send an API key in the x-api-key header (create one with `vitrine keys create --role writer|seller|admin`)',
  RATE_LIMITED: 'slow down; the limit resets after the time in the retry-after header',
};

/** Any throwable as a VitrineError with a stable code. */
export function toHttpError(e: unknown): VitrineError {
  if (e instanceof VitrineError) return e;
  const fe = e as Partial<FastifyError> & { validation?: unknown[] };
  const mapped = typeof fe.code === 'string' ? FASTIFY_CODES[fe.code] : undefined;
  if (mapped !== undefined) {
    const message = (fe.message ?? mapped).replace(/^FST_[A-Z_]+: /, '');
    return new VitrineError(mapped, mapped === 'INVALID_ARGUMENT' ? `invalid request: ${message}` : message, { cause: e });
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new VitrineError(fe.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_ARGUMENT', fe.message ?? 'bad request', { cause: e });
  }
  return toVitrineError(e);
}

/** The JSON body of an error. */
export function errorBody(err: VitrineError): ErrorBody {
  const hint = err.hint ?? HINTS[err.code];
  return { error: hint === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, hint } };
}

/** Installs the error and not-found handlers on the root instance. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((e: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const err = toHttpError(e);
    const status = HTTP_STATUS[err.code];
    if (status >= 500) req.log.error({ err: e, code: err.code }, 'request failed');
    const body = errorBody(err);
    // Internal faults keep their details in the log, not in the reply.
    if (err.code === 'INTERNAL') body.error.message = 'internal error';
    if (err.code === 'RATE_LIMITED' && err.details?.retryAfterSec !== undefined) void reply.header('retry-after', String(err.details.retryAfterSec));
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    const err = new VitrineError('UNKNOWN_ID', `no route ${req.method} ${req.url.split('?')[0]}`, { hint: 'the routes are listed at /docs' });
    return reply.status(HTTP_STATUS.UNKNOWN_ID).send(errorBody(err));
  });
}
