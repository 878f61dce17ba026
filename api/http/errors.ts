/**
 * The API's one error type and its one JSON shape, `{error: {code, message}}`. Anything thrown that is not an
 * ApiError becomes a 500 with a generic message: stack traces and internal messages never reach a client.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status'

export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly requestId?: string }
}

/** 404 that reads the same for "missing" and "not yours". */
export function notFound(what = 'resource'): ApiError {
  return new ApiError(404, 'not_found', `${what} not found`)
}
