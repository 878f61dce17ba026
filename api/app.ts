/**
 * The Hono application: the request edge (ids, client address, rate and body limits), the single error handler, the
 * platform routes (sign-in, users, audit, records, personal data) and the OpenAPI document. Every route declares
 * its policy (see auth/policy.ts); routes that api/server.ts mounts later (the ingest's intake and /metrics) are
 * declared here. Built from its dependencies so that tests call it through `app.request()` with real stores.
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import type { Analytics } from '../analytics/index.ts'
import type { Scoring } from '../models/index.ts'
import { loadConfig, type Config, type Logger, type Stores } from '../data/index.ts'
import type { AppEnv } from './auth/context.ts'
import { deviceToken, metricsScrape, publicRoute } from './auth/policy.ts'
import { authRoutes } from './auth/routes.ts'
import { accessRoutes } from './access/routes.ts'
import { assistantRoutes } from './assistant/routes.ts'
import { auditRoutes } from './audit/routes.ts'
import { billingFor } from './billing/billing.ts'
import { billingRoutes } from './billing/routes.ts'
import { errorHandler, notFoundHandler } from './http/error-handler.ts'
import { docsRoutes } from './http/docs.ts'
import { edge } from './http/edge.ts'
import { noticeRoutes } from './notices/routes.ts'
import { parkingRoutes } from './parking/routes.ts'
import { platformFor, type Platform } from './platform.ts'
import { privacyRoutes } from './privacy/routes.ts'
import { recordRoutes } from './records/routes.ts'
import { serviceRoutes } from './services/routes.ts'
import { transferRoutes } from './records/transfer-routes.ts'
import { healthRoutes } from './routes/health.ts'
import { commandCenterRoutes } from './routes/command-center.ts'
import { scenarioRoutes } from './routes/scenarios.ts'
import { staticRoutes } from './routes/static.ts'
import { twinRoutes } from './routes/twin.ts'
import { userRoutes } from './users/routes.ts'
import { workOrderApi } from './workorders/module.ts'
import { complaintApi } from './complaints/routes.ts'
import { equipmentApi } from './equipment/routes.ts'
import { inspectionApi } from './inspections/routes.ts'

export interface AppDeps {
  readonly stores: Stores
  readonly log: Logger
  /** When the process started (ms), for uptime. */
  readonly startedAt?: number
  /** The configuration (default: the process's, `loadConfig()`). */
  readonly config?: Config
  /** The composed services (default: composed from stores and config). */
  readonly platform?: Platform
  /** The running analytics: mounts KPIs, alarms and the live stream (absent: those routes are not served). */
  readonly analytics?: Analytics
  /** The predictive-maintenance scoring job (mounted with the analytics routes). */
  readonly scoring?: Scoring
  /** Serve the built twin UI at `/` (default: no; the server entry turns it on). */
  readonly ui?: boolean
}

/** Builds the application. */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const config = deps.config ?? loadConfig()
  const platform = deps.platform ?? platformFor(config, deps.stores, deps.log)
  const api = config.api
  const app = new OpenAPIHono<AppEnv>()
  app.use('*', edge(api, platform.authenticator, deps.log))
  app.onError(errorHandler(deps.log))
  app.notFound(notFoundHandler)

  const db = deps.stores.postgres
  app.route('/api/v1', healthRoutes(deps.stores, deps.startedAt ?? Date.now()))
  app.route('/api/v1', authRoutes(platform))
  app.route('/api/v1', userRoutes(platform))
  app.route('/api/v1', auditRoutes(platform))
  app.route('/api/v1', recordRoutes(platform.records))
  app.route('/api/v1', transferRoutes(platform.transfer))
  app.route('/api/v1', privacyRoutes(platform.consents, platform.dataRights))
  app.route('/api/v1', twinRoutes(db))
  app.route('/api/v1', noticeRoutes(platform))
  app.route('/api/v1', workOrderApi(platform))
  app.route('/api/v1', complaintApi(platform))
  app.route('/api/v1', equipmentApi(platform))
  app.route('/api/v1', inspectionApi(platform))
  app.route('/api/v1', assistantRoutes(platform))
  app.route('/api/v1', accessRoutes(platform))
  app.route('/api/v1', parkingRoutes(platform))
  app.route('/api/v1', serviceRoutes(platform))
  app.route('/api/v1', scenarioRoutes({ db, auditor: platform.auditor }))
  app.route('/api/v1', billingRoutes(billingFor(platform, { clickhouse: deps.stores.clickhouse })))
  if (deps.analytics) {
    const routes = commandCenterRoutes({
      analytics: deps.analytics,
      heartbeatMs: config.analytics.liveHeartbeatMs,
      ...(deps.scoring ? { scoring: deps.scoring } : {}),
      audit: { db, auditor: platform.auditor },
    })
    for (const routeSet of routes.documented) app.route('/api/v1', routeSet)
    for (const routeSet of routes.plain) app.route('/api/v1', routeSet)
  }
  app.route('/api/v1', docsRoutes(app))

  // Mounted by api/server.ts after this: declared here so every route has a policy.
  app.post('/ingest/v1/batch', deviceToken())
  app.get('/metrics', metricsScrape())
  // The twin UI: public like any web page's assets (it signs in through the API, which guards every datum).
  if (deps.ui) {
    const ui = staticRoutes()
    app.get('*', publicRoute(), async (c, next) => {
      if (/^\/(api|ingest|metrics)(\/|$)/.test(c.req.path)) return next()
      const response = await ui.fetch(c.req.raw)
      // A missing asset falls through to the JSON 404.
      return response.status === 404 ? next() : response
    })
  }
  return app
}
