/**
 * The Hono application: request ids, the single error handler, and the versioned routes. Built from its
 * dependencies so that tests call it through `app.request()` with real stores.
 */
import { Hono } from 'hono'
import { compress } from 'hono/compress'
import { requestId } from 'hono/request-id'
import type { Logger, Stores } from '../data/index.ts'
import { ApiError, type ErrorBody } from './http/errors.ts'
import { healthRoutes } from './routes/health.ts'
import { twinRoutes } from './routes/twin.ts'

export interface AppDeps {
  readonly stores: Stores
  readonly log: Logger
  /** When the process started (ms), for uptime. */
  readonly startedAt?: number
}

/** Builds the application. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono()
  app.use('*', requestId())

  app.onError((error, c) => {
    const id = c.get('requestId')
    if (error instanceof ApiError) {
      return c.json<ErrorBody>(
        { error: { code: error.code, message: error.message, requestId: id } },
        error.status,
      )
    }
    deps.log.error({ err: error, requestId: id, path: c.req.path }, 'unhandled error')
    return c.json<ErrorBody>({ error: { code: 'internal', message: 'internal error', requestId: id } }, 500)
  })
  app.notFound((c) =>
    c.json<ErrorBody>(
      { error: { code: 'not_found', message: 'no such route', requestId: c.get('requestId') } },
      404,
    ),
  )

  app.use('*', compress())
  app.route('/api/v1', healthRoutes(deps.stores, deps.startedAt ?? Date.now()))
  app.route('/api/v1', twinRoutes(deps.stores.postgres))
  return app
}
