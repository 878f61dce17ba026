/**
 * Predictive maintenance of lifts and pumps (issue 7), a route module to mount under `/api/v1`:
 *
 * `prediction:read`
 * - `GET /predictions/risk?communityId=` — the latest score of every lift and pump of the community: risk of
 *   failure within the model's horizon (0..1), predicted hours to failure (null: none expected within the
 *   regressor's cap), when it was scored; highest risk first. The twin's maintenance view reads exactly this.
 * - `GET /predictions/alerts?communityId=&state=&limit=` — predictive alerts with their evidence (the features
 *   that drove the risk, their recent values against the device's normal range), newest first; without
 *   `communityId`, every community the caller may see.
 * `prediction:manage`
 * - `POST /predictions/alerts/{id}/acknowledge` `{note?}` — an open alert is being looked at (409 otherwise).
 * - `POST /predictions/alerts/{id}/resolve` `{note}` — closed by a person, with what was found (409 when resolved).
 * `workorder:create` (and `prediction:read`, checked in the handler: one declared policy per route)
 * - `POST /predictions/alerts/{id}/work-order` — opens the alert's maintenance work order with its evidence
 *   (the work-order module's opener); idempotent: an alert that has one answers it (200), never a second one.
 *   201 when opened now; 409 for an alert without one that is no longer active.
 * `model:manage`
 * - `POST /predictions/score` `{kinds?}` — scores now (on demand); answers what each kind's run did.
 * - `GET /predictions/drift?kind=&runs=` — input drift (population stability per input against the training
 *   distribution) and alert rate (in service against validation) of each model version in service.
 *
 * A community or alert outside the caller's scope reads exactly like a missing one (404). Alert changes are
 * audited through `audit.hook` in the change's own transaction.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import type { Postgres, Sql } from '../../data/index.ts'
import type { DriftReport, KindRunReport, ScoringJob, StoredAlert } from '../../models/index.ts'
import { PREDICTIVE_KINDS } from '../../models/index.ts'
import type { AppEnv } from '../auth/context.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import { alertActionRoutes } from './prediction-actions.ts'
import {
  alertItem,
  alertStates,
  alertView,
  communityId,
  driftItem,
  kind,
  riskItem,
  riskView,
  runItem,
  runView,
} from './prediction-views.ts'
import { visibleCommunity, type Caller, type CallerOf } from './analytics.ts'

/** The permissions these routes declare. */
export type PredictionPermission =
  'prediction:read' | 'prediction:manage' | 'workorder:create' | 'model:manage'

/** A person's change to a predictive alert, as audited. */
export interface AlertChange {
  readonly action: 'acknowledged' | 'resolved' | 'work_order'
  /** The alert after the change. */
  readonly alert: StoredAlert
  readonly userId: string
  readonly note?: string | undefined
}

/** Writes the audit entry of an alert change inside the change's transaction (see command-center.ts). */
export type AlertAuditHook = (tx: Sql, change: AlertChange) => Promise<void>

/** Makes the middleware that requires a permission (the API's `guard`). */
export type PredictionGuard = (permission: PredictionPermission) => MiddlewareHandler

export interface PredictionRouteDeps {
  /** The scoring job (models/scoring): its stores answer the reads, `run` scores on demand. */
  readonly job: Pick<ScoringJob, 'run' | 'alertStore' | 'scoreStore' | 'workOrders' | 'drift'>
  readonly caller: CallerOf
  readonly now?: () => number
  /** Scores older than this are not shown as current (default 7 days). */
  readonly maxScoreAgeMs?: number
  /** Called after an on-demand run (e.g. to write its audit entry). */
  readonly onManualRun?: (caller: Caller, reports: readonly KindRunReport[]) => Promise<void>
  /**
   * Audits alert changes: `db` is the database of the job's alert store (the change and its entry commit
   * together). Without it, changes are made but not audited (tests of other things).
   */
  readonly audit?: { readonly db: Postgres; readonly hook: AlertAuditHook }
}

const DAY = 86_400_000

/** The prediction routes. */
export function predictionRoutes(deps: PredictionRouteDeps, guard: PredictionGuard): OpenAPIHono<AppEnv> {
  const now = deps.now ?? Date.now
  const maxAge = deps.maxScoreAgeMs ?? 7 * DAY
  const routes = routeApp()
  const tags = ['predictions']

  routes.openapi(
    createRoute({
      method: 'get',
      path: '/predictions/risk',
      tags,
      summary: 'Latest failure risk of every lift and pump of a community',
      middleware: [guard('prediction:read')] as const,
      request: { query: z.object({ communityId }).strict() },
      responses: { 200: json(z.object({ items: z.array(riskItem) })), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const community = visibleCommunity(c.req.valid('query').communityId, deps.caller(c))
      const scores = await deps.job.scoreStore.latest({ communityId: community }, now() - maxAge)
      const items = scores.map(riskView).sort((a, b) => b.risk - a.risk || (a.deviceId < b.deviceId ? -1 : 1))
      return c.json({ items }, 200)
    },
  )

  routes.openapi(
    createRoute({
      method: 'get',
      path: '/predictions/alerts',
      tags,
      summary: 'Predictive alerts with their evidence, newest first',
      middleware: [guard('prediction:read')] as const,
      request: {
        query: z
          .object({
            communityId: communityId.optional(),
            state: z.enum([...alertStates, 'active']).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          })
          .strict(),
      },
      responses: {
        200: json(z.object({ items: z.array(alertItem) })),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const q = c.req.valid('query')
      const caller = deps.caller(c)
      const community = q.communityId === undefined ? undefined : visibleCommunity(q.communityId, caller)
      const alerts = await deps.job.alertStore.list(caller.communities, {
        ...(community === undefined ? {} : { communityId: community }),
        ...(q.state === 'active' ? { active: true } : q.state === undefined ? {} : { state: q.state }),
        limit: q.limit,
      })
      return c.json({ items: alerts.map(alertView) }, 200)
    },
  )

  alertActionRoutes(routes, deps, guard, now, tags)

  routes.openapi(
    createRoute({
      method: 'get',
      path: '/predictions/drift',
      tags,
      summary: 'Input drift and alert rate of the model versions in service',
      description:
        'For each kind (or `kind`): the population stability index of every model input over the last `runs` ' +
        'scoring runs against its training distribution (< 0.1 stable, 0.1–0.25 moderate, > 0.25 significant), ' +
        'and the alerts per 100 device-days in service against the rate measured at validation. Company-wide: ' +
        'a model serves every community.',
      middleware: [guard('model:manage')] as const,
      request: {
        query: z
          .object({
            kind: kind.optional(),
            runs: z.coerce
              .number()
              .int()
              .min(1)
              .max(24 * 30)
              .default(24),
          })
          .strict(),
      },
      responses: { 200: json(z.object({ models: z.array(driftItem) })), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const query = c.req.valid('query')
      const models: DriftReport[] = []
      for (const k of query.kind ? [query.kind] : PREDICTIVE_KINDS) {
        const report = await deps.job.drift(k, query.runs)
        if (report) models.push(report)
      }
      return c.json({ models: models.map((m) => ({ ...m, inputs: [...m.inputs] })) }, 200)
    },
  )

  routes.openapi(
    createRoute({
      method: 'post',
      path: '/predictions/score',
      tags,
      summary: 'Score every lift and pump now',
      middleware: [guard('model:manage')] as const,
      request: { body: jsonBody(z.object({ kinds: z.array(kind).min(1).optional() }).strict()) },
      responses: { 200: json(z.object({ runs: z.array(runItem) })), ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const body = c.req.valid('json')
      const reports = await deps.job.run({ ...(body.kinds ? { kinds: body.kinds } : {}), trigger: 'manual' })
      await deps.onManualRun?.(deps.caller(c), reports)
      return c.json({ runs: reports.map(runView) }, 200)
    },
  )

  return routes
}
