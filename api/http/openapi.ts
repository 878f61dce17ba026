/**
 * Route modules are OpenAPIHono apps: request schemas validate input (strict objects, so unknown fields are a
 * 400) and, with the response schemas, generate the OpenAPI 3.1 document. A failed validation becomes our error
 * shape, naming the field but never echoing its value.
 */
import type { z } from '@hono/zod-openapi'
import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../auth/context.ts'
import { ApiError, errorBodySchema } from './errors.ts'

interface Issue {
  readonly path: readonly PropertyKey[]
  readonly message: string
}

function describeIssues(issues: readonly Issue[], target: string): string {
  const first = issues[0]
  if (!first) return `${target} is not valid`
  const where = [target, ...first.path.map(String)].join('.')
  return `${where}: ${first.message}`
}

/** A new route module app with the shared validation hook. */
export function routeApp(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const target = result.target === 'json' ? 'body' : result.target
        throw new ApiError(400, 'bad_request', describeIssues(result.error.issues, target))
      }
    },
  })
}

/** The error responses every guarded route may give, for the OpenAPI document. */
export function errorResponses(...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 429)[]) {
  const descriptions = {
    400: 'invalid input',
    401: 'not signed in, or the token is not valid',
    403: 'the role lacks the permission',
    404: 'no such object (or not in your scope)',
    409: 'conflicts with the current state',
    413: 'body too large',
    429: 'rate limited',
  } as const
  const out: Record<
    number,
    { description: string; content: { 'application/json': { schema: typeof errorBodySchema } } }
  > = {}
  for (const status of statuses) {
    out[status] = {
      description: descriptions[status],
      content: { 'application/json': { schema: errorBodySchema } },
    }
  }
  return out
}

/** JSON content of a schema, for createRoute. */
export function json<T extends z.ZodType>(schema: T, description = 'OK') {
  return { description, content: { 'application/json': { schema } } }
}

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } }
}
