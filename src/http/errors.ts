import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ArrearsError, type ErrorKind, type FieldIssue } from '../domain/errors.js';

/** The one place where an error kind becomes an HTTP status (docs/api.md). */
export const HTTP_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  approval_required: 403,
  not_found: 404,
  conflict: 409,
  account_closed: 409,
  contact_not_allowed: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

export interface ErrorBody {
  error: { code: ErrorKind; message: string; details?: Record<string, unknown> };
}

export function errorBody(e: ArrearsError): ErrorBody {
  return {
    error: {
      code: e.kind,
      message: e.message,
      ...(e.details && Object.keys(e.details).length > 0 ? { details: e.details } : {}),
    },
  };
}

/** Turns anything thrown in a request into an ArrearsError; unknown errors become a generic 500. */
export function toArrearsError(e: unknown): ArrearsError {
  if (e instanceof ArrearsError) return e;
  if (hasZodFastifySchemaValidationErrors(e)) {
    const issues: FieldIssue[] = e.validation.map((v) => ({
      field: [e.validationContext, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'invalid',
    }));
    return new ArrearsError('invalid', 'the request is not valid', { issues });
  }
  const fe = e as Partial<FastifyError>;
  if (fe.statusCode === 429) return new ArrearsError('rate_limited', fe.message ?? 'too many requests');
  if (typeof fe.code === 'string' && fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own client errors: malformed JSON, wrong content type, body too large…
    return new ArrearsError('invalid', fe.message ?? 'the request is not valid', { reason: fe.code });
  }
  return new ArrearsError('internal', 'an internal error occurred; it has been logged');
}

export function errorHandler(e: unknown, request: FastifyRequest, reply: FastifyReply) {
  const err = toArrearsError(e);
  const status = HTTP_STATUS[err.kind];
  if (status >= 500) request.log.error({ err: e }, 'request failed');
  else request.log.info({ code: err.kind }, err.message);
  if (err.kind === 'rate_limited') {
    const retry = (e as { headers?: Record<string, string> }).headers?.['retry-after'];
    if (retry) void reply.header('retry-after', retry);
  }
  return reply.status(status).send(errorBody(err));
}
