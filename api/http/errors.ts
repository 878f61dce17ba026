/**
 * The API's one error type and its one JSON shape, `{error: {code, message}}` (plus the request id). Anything
 * thrown that is not an ApiError becomes a 500 with a generic message: stack traces and internal messages never
 * reach a client.
 */
import { z } from '@hono/zod-openapi'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    /** Seconds, sent as Retry-After (429). */
    readonly retryAfter?: number,
    /** Per-item problems (e.g. the rows of an import), sent as `error.details`. */
    readonly details?: readonly {
      readonly row: number
      readonly field: string | null
      readonly message: string
    }[],
  ) {
    super(message)
  }
}

export interface ErrorBody {
  readonly error: {
    readonly code: string
    readonly message: string
    readonly requestId?: string
    readonly details?: readonly {
      readonly row: number
      readonly field: string | null
      readonly message: string
    }[]
  }
}

/** The error body as a schema, for the OpenAPI document and response checks. */
export const errorBodySchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string().regex(/^[a-z_]+$/),
      message: z.string(),
      requestId: z.string().optional(),
      details: z
        .array(z.strictObject({ row: z.number().int(), field: z.string().nullable(), message: z.string() }))
        .optional(),
    }),
  })
  .openapi('Error')

/** 404 that reads the same for "missing" and "not yours". */
export function notFound(what = 'resource'): ApiError {
  return new ApiError(404, 'not_found', `${what} not found`)
}

/** 400 for input that is well-formed but not acceptable. */
export function badRequest(message: string): ApiError {
  return new ApiError(400, 'bad_request', message)
}

/** 409 for a change that conflicts with the current state. */
export function conflict(message: string, code = 'conflict'): ApiError {
  return new ApiError(409, code, message)
}
