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
 * `model:manage`
 * - `POST /predictions/score` `{kinds?}` — scores now (on demand); answers what each kind's run did.
 *
 * A community outside the caller's scope reads exactly like a missing one (404).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import type { KindRunReport, ScoringJob, StoredAlert, StoredScore } from '../../models/index.ts'
import { PREDICTIVE_KINDS } from '../../models/index.ts'
import { ApiError } from '../http/errors.ts'
import { errorResponses, json, jsonBody } from '../http/openapi.ts'
import { visibleCommunity, type Caller, type CallerOf } from './analytics.ts'

/** The permissions these routes declare. */
export type PredictionPermission = 'prediction:read' | 'model:manage'

/** Makes the middleware that requires a permission (the API's `guard`). */
export type PredictionGuard = (permission: PredictionPermission) => MiddlewareHandler

export interface PredictionRouteDeps {
  /** The scoring job (models/scoring): its stores answer the reads, `run` scores on demand. */
  readonly job: Pick<ScoringJob, 'run' | 'alertStore' | 'scoreStore'>
  readonly caller: CallerOf
  readonly now?: () => number
  /** Scores older than this are not shown as current (default 7 days). */
  readonly maxScoreAgeMs?: number
  /** Called after an on-demand run (e.g. to write its audit entry). */
  readonly onManualRun?: (caller: Caller, reports: readonly KindRunReport[]) => Promise<void>
}

const DAY = 86_400_000

const communityId = z.string().openapi({ description: 'community id', example: 'c01' })
const kind = z.enum(PREDICTIVE_KINDS)

const riskItem = z.object({
  deviceId: z.string(),
  kind,
  risk: z.number().min(0).max(1).openapi({ description: 'P(failure within the model horizon)' }),
  hoursToFailure: z
    .number()
    .nullable()
    .openapi({ description: 'predicted hours to failure; null when none is expected within the cap' }),
  scoredAt: z.string().openapi({ description: 'ISO 8601: when this score was computed' }),
})

const evidenceItem = z.object({
  feature: z.string(),
  label: z.string(),
  unit: z.string(),
  share: z.number(),
  contribution: z.number(),
  value: z.number().nullable(),
  normal: z.object({ median: z.number(), low: z.number(), high: z.number() }).nullable(),
  deviation: z.number().nullable(),
  trendPerDay: z.number().nullable(),
})

const alertStates = ['open', 'acknowledged', 'cleared', 'resolved'] as const

const alertItem = z.object({
  id: z.number().int(),
  communityId: z.string(),
  deviceId: z.string(),
  kind,
  state: z.enum(alertStates),
  model: z.string(),
  modelVersion: z.string(),
  risk: z.number(),
  peakRisk: z.number(),
  lastRisk: z.number(),
  hoursToFailure: z.number().nullable(),
  predictedFailureAt: z.string().nullable(),
  evidence: z.array(evidenceItem),
  raisedAt: z.string(),
  lastSeenAt: z.string(),
  occurrences: z.number().int(),
  clearedAt: z.string().nullable(),
  workOrderRef: z.string().nullable(),
})

const runItem = z.object({
  kind,
  model: z.string().nullable(),
  version: z.string().nullable(),
  runId: z.number().int().nullable(),
  windowEnd: z.string(),
  scored: z.number().int(),
  skipped: z.number().int(),
  highRisk: z.number().int(),
  anomalous: z.number().int(),
  alertsRaised: z.array(z.number().int()),
  alertsCleared: z.array(z.number().int()),
  ms: z.object({ features: z.number(), score: z.number(), total: z.number() }),
})

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString())

function riskView(s: StoredScore): z.infer<typeof riskItem> {
  return {
    deviceId: s.deviceId,
    kind: s.kind as z.infer<typeof kind>,
    risk: Math.min(1, Math.max(0, s.risk)),
    hoursToFailure: s.ttfCapped ? null : Math.round(s.ttfHours * 10) / 10,
    scoredAt: iso(s.scoredAt)!,
  }
}

function alertView(a: StoredAlert): z.infer<typeof alertItem> {
  return {
    id: a.id,
    communityId: a.communityId,
    deviceId: a.deviceId,
    kind: a.deviceKind as z.infer<typeof kind>,
    state: a.state,
    model: a.model,
    modelVersion: a.modelVersion,
    risk: a.risk,
    peakRisk: a.peakRisk,
    lastRisk: a.lastRisk,
    hoursToFailure: a.ttfHours,
    predictedFailureAt: iso(a.predictedFailureAt),
    evidence: [...a.evidence],
    raisedAt: iso(a.raisedAt)!,
    lastSeenAt: iso(a.lastSeenAt)!,
    occurrences: a.occurrences,
    clearedAt: iso(a.clearedAt),
    workOrderRef: a.workOrderRef,
  }
}

function runView(r: KindRunReport): z.infer<typeof runItem> {
  return {
    kind: r.kind,
    model: r.model,
    version: r.version,
    runId: r.runId,
    windowEnd: iso(r.windowEnd)!,
    scored: r.scored,
    skipped: r.skipped,
    highRisk: r.highRisk,
    anomalous: r.anomalous,
    alertsRaised: [...r.raised],
    alertsCleared: [...r.cleared],
    ms: r.ms,
  }
}

/** Validation failures become our 400 error shape (the field named, its value never echoed). */
function app(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0]
        const target = result.target === 'json' ? 'body' : result.target
        throw new ApiError(
          400,
          'bad_request',
          `${[target, ...(issue?.path ?? []).map(String)].join('.')}: ${issue?.message ?? 'invalid'}`,
        )
      }
    },
  })
}

/** The prediction routes. */
export function predictionRoutes(deps: PredictionRouteDeps, guard: PredictionGuard): OpenAPIHono {
  const now = deps.now ?? Date.now
  const maxAge = deps.maxScoreAgeMs ?? 7 * DAY
  const routes = app()
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
