/**
 * Test helper: the response schema an app's OpenAPI registry declares for a route and status, so tests can check
 * that what a route answered is what the document promises.
 */
import type { OpenAPIHono, z } from '@hono/zod-openapi'

interface RouteLike {
  method: string
  path: string
  responses: Record<string, { content?: Record<string, { schema: z.ZodType }> }>
}

/** The JSON schema of `status` for `METHOD /path/:param` (Hono form), or undefined when none is declared. */
export function declaredResponse(
  app: OpenAPIHono<never> | OpenAPIHono<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  method: string,
  path: string,
  status: number,
): z.ZodType | undefined {
  const wanted = path.replace(/:(\w+)/g, '{$1}')
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route') continue
    const route = definition.route as unknown as RouteLike
    if (route.method.toUpperCase() === method && route.path === wanted) {
      return route.responses[String(status)]?.content?.['application/json']?.schema
    }
  }
  return undefined
}
