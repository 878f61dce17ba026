/**
 * Reads a request header straight from Node's parsed `IncomingMessage` when the app runs on @hono/node-server,
 * and through the Fetch API otherwise (`app.request()` in tests). The hot path reads three headers per request;
 * going through `c.req.header()` would make the adapter build a full Headers object for each request.
 */
import type { Context } from 'hono'

interface NodeBindings {
  incoming?: { headers?: Record<string, string | string[] | undefined> }
}

/** The value of header `name` (lower case), or undefined. */
export function requestHeader(c: Context, name: string): string | undefined {
  const headers = (c.env as NodeBindings | undefined)?.incoming?.headers
  if (!headers) return c.req.header(name)
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}
