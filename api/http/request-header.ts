/**
 * Reads a request header straight from Node's parsed `IncomingMessage` when the app runs on @hono/node-server,
 * and through the Fetch API otherwise (`app.request()` in tests). The hot path reads three headers per request;
 * going through `c.req.header()` would make the adapter build a full Headers object for each request. Sets
 * default response headers the same way.
 */
import type { Context } from 'hono'

interface NodeBindings {
  incoming?: { headers?: Record<string, string | string[] | undefined> }
  outgoing?: { setHeader(name: string, value: string): unknown }
}

/** The value of header `name` (lower case), or undefined. */
export function requestHeader(c: Context, name: string): string | undefined {
  const headers = (c.env as NodeBindings | undefined)?.incoming?.headers
  if (!headers) return c.req.header(name)
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/**
 * Sets a default response header. On @hono/node-server it goes straight onto Node's `ServerResponse`, which merges
 * it with the headers the response is written with (those win, so a route may override it); going through
 * `c.header()` would build a Fetch API `Headers` object for every response. Through the Fetch API otherwise.
 */
export function defaultResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as NodeBindings | undefined)?.outgoing
  if (outgoing && typeof outgoing.setHeader === 'function') outgoing.setHeader(name, value)
  else c.header(name, value)
}
