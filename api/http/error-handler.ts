/**
 * The single error handler and the not-found answer: every failure leaves as `{error: {code, message, requestId}}`
 * with a stable code. Framework errors (malformed JSON, oversized or unsupported bodies) are mapped to their codes;
 * anything unexpected is logged with the request id and answered with a generic 500.
 */
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { Logger } from '../../data/index.ts'
import type { AppEnv } from '../auth/context.ts'
import { ApiError, type ErrorBody } from './errors.ts'

const CODES: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'timeout',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
}

function body(c: Context<AppEnv>, code: string, message: string, details?: ApiError['details']): ErrorBody {
  const requestId = c.get('requestId') as string | undefined // unset when a request failed before its id
  return { error: { code, message, ...(requestId ? { requestId } : {}), ...(details ? { details } : {}) } }
}

/** `app.onError` handler. */
export function errorHandler(log: Logger) {
  return (error: Error, c: Context<AppEnv>): Response => {
    if (error instanceof ApiError) {
      if (error.retryAfter !== undefined) c.header('Retry-After', String(error.retryAfter))
      return c.json(body(c, error.code, error.message, error.details), error.status)
    }
    if (error instanceof HTTPException && error.status < 500) {
      const status = error.status
      const code = CODES[status] ?? 'bad_request'
      const message =
        status === 400 ? 'the request body is not valid JSON' : error.message || code.replace(/_/g, ' ')
      return c.json(body(c, code, message), status)
    }
    log.error({ err: error, requestId: c.var.requestId, path: c.req.path }, 'unhandled error')
    return c.json(body(c, 'internal', 'internal error'), 500)
  }
}

/** `app.notFound` handler. */
export function notFoundHandler(c: Context<AppEnv>): Response {
  return c.json(body(c, 'not_found', 'no such route'), 404)
}
