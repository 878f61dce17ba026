/**
 * The request edge, in one middleware because it runs on every request: the request id (a client's well-formed
 * `X-Request-Id` is kept), the client address, the authenticator the guards use, the per-client rate limit, the
 * body limit (JSON bodies and imports), default security headers, compression for clients that accept it, and
 * one debug access-log line with the request id (path only: no query string, no body, so no personal data).
 */
import { randomUUID } from 'node:crypto'
import type { Context, MiddlewareHandler, Next } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { compress } from 'hono/compress'
import type { ApiPlatformConfig, Logger } from '../../data/index.ts'
import type { AppEnv, Authenticator } from '../auth/context.ts'
import { clientIp } from './client-ip.ts'
import { ApiError } from './errors.ts'
import { RateLimiter } from './rate-limit.ts'
import { defaultResponseHeader, requestHeader } from './request-header.ts'

const REQUEST_ID = /^[\w\-=]{1,255}$/
const nothing = () => Promise.resolve()

/** The edge middleware of the app. */
export function edge(
  api: ApiPlatformConfig,
  authenticator: Authenticator,
  log: Logger,
): MiddlewareHandler<AppEnv> {
  const limiter = api.rateLimitPerMinute > 0 ? new RateLimiter(api.rateLimitPerMinute, 60_000) : null
  const tooLarge = (limit: number) => () => {
    throw new ApiError(413, 'too_large', `the request body is larger than ${limit} bytes`)
  }
  const normalLimit = bodyLimit({ maxSize: api.bodyLimitBytes, onError: tooLarge(api.bodyLimitBytes) })
  const importLimit = bodyLimit({ maxSize: api.importLimitBytes, onError: tooLarge(api.importLimitBytes) })
  // Looking at a response makes the Node adapter materialise it: compress only for clients that accept it.
  const gzip = compress()
  const debug = log.isLevelEnabled('debug')

  return async (c, next) => {
    const started = performance.now()
    const given = requestHeader(c, 'x-request-id')
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID()
    c.set('requestId', requestId)
    defaultResponseHeader(c, 'X-Request-Id', requestId)
    const ip = clientIp(c, api.trustProxy)
    c.set('clientIp', ip)
    c.set('authenticator', authenticator)
    const context: Context<AppEnv, string> = c
    // The compressor only post-processes the response, so it runs after the handler with nothing left to call,
    // and not at all when the handler sent a body it had compressed itself (cached list pages).
    const inner: Next = requestHeader(c, 'accept-encoding')
      ? async () => {
          await next()
          if (!c.get('encoded')) await gzip(context, nothing)
        }
      : next
    try {
      if (!c.req.path.startsWith('/api/')) return await inner()
      if (limiter) {
        const decision = limiter.hit(ip)
        if (!decision.allowed) {
          throw new ApiError(429, 'rate_limited', 'too many requests; slow down', decision.retryAfterSeconds)
        }
      }
      // Set before the handler runs, so they are part of the response it builds (a route may override them).
      defaultResponseHeader(c, 'X-Content-Type-Options', 'nosniff')
      defaultResponseHeader(c, 'Cache-Control', 'no-store')
      const method = c.req.method
      // A GET has no body to limit; touching it would make the adapter build a full Request object.
      if (method === 'GET' || method === 'HEAD') return await inner()
      await (c.req.path.endsWith('/import') ? importLimit(context, inner) : normalLimit(context, inner))
    } finally {
      if (debug)
        log.debug(
          {
            requestId,
            method: c.req.method,
            path: c.req.path,
            status: c.res.status,
            ms: Math.round((performance.now() - started) * 10) / 10,
          },
          'request',
        )
    }
  }
}
