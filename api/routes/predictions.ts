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
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import type { Postgres, Sql } from '../../data/index.ts'
import type { DriftReport, KindRunReport, ScoringJob, StoredAlert, StoredScore } from '../../models/index.ts'
import { AlertNotFoundError, AlertStore, AlertTransitionError, PREDICTIVE_KINDS } from '../../models/index.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { errorResponses, json, jsonBody } from '../http/openapi.ts'
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

const driftLevel = z.enum(['stable', 'moderate', 'significant'])

const driftItem = z.object({
  kind,
  model: z.string(),
  version: z.string(),
  runs: z.number().int(),
  samples: z.number().int(),
  level: driftLevel,
  maxPsi: z.number(),
  inputs: z.array(z.object({ input: z.string(), psi: z.number(), level: driftLevel })),
  alertRate: z.object({
    runs: z.number().int(),
    deviceDays: z.number(),
    alerts: z.number().int(),
    per100DeviceDays: z.number().nullable(),
    validationPer100DeviceDays: z.number().nullable(),
    since: z.number().nullable(),
    until: z.number().nullable(),
  }),
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

const ACTIVE: readonly string[] = ['open', 'acknowledged']

/** The alert id of the path; a malformed one reads like a missing alert. */
const alertId = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 53)
  .openapi({ description: 'alert id', example: 7 })

/** Maps the alert store's domain errors to the API's error shape. */
async function domain<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof AlertNotFoundError) throw notFound('predictive alert')
    if (error instanceof AlertTransitionError) throw new ApiError(409, 'invalid_transition', error.message)
    throw error
  }
}

/**
 * The alert store on an open transaction, so that an alert's change and its audit entry commit together: the
 * store runs its own statements in `transaction`, which here is the one already open.
 */
function storeIn(tx: Sql, db: Postgres): AlertStore {
  const joined: Postgres = {
    kind: db.kind,
    query: (text, params) => tx.query(text, params),
    exec: (script) => tx.exec(script),
    transaction: (fn) => fn(tx),
    version: () => db.version(),
    close: () => Promise.reject(new Error('a transaction-bound store is not closed')),
  }
  return new AlertStore(joined)
}

const KIND_TITLES: Readonly<Record<string, readonly [string, string]>> = {
  elevator: ['电梯', 'Elevator'],
  water_pump: ['水泵', 'Water pump'],
}

/** The work order's one-line title, zh-CN then English (as the scoring job titles the orders it opens). */
function workOrderTitle(a: StoredAlert): string {
  const [zh, en] = KIND_TITLES[a.deviceKind] ?? ['设备', 'Device']
  const pct = Math.round(a.lastRisk * 100)
  const top = a.evidence[0]?.label ?? ''
  const hours = a.ttfHours === null ? null : Math.round(a.ttfHours)
  const when = hours === null ? '' : ` · 预计${hours}小时内 / within ~${hours} h`
  return `${zh}${a.deviceId}故障风险${pct}%${when} — ${en} ${a.deviceId} failure risk ${pct}%${top ? `: ${top}` : ''}`
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

  /** Makes a change to an alert in one transaction with its audit entry (unaudited when none is wired). */
  const change = (
    work: (store: AlertStore) => Promise<StoredAlert>,
    audited: (alert: StoredAlert) => AlertChange,
  ): Promise<StoredAlert> => {
    const audit = deps.audit
    if (!audit) return domain(() => work(deps.job.alertStore))
    return domain(() =>
      audit.db.transaction(async (tx) => {
        const alert = await work(storeIn(tx, audit.db))
        await audit.hook(tx, audited(alert))
        return alert
      }),
    )
  }
  const params = z.object({ id: alertId })
  const alertResult = json(z.object({ alert: alertItem }))
  const acting = (action: 'acknowledge' | 'resolve', noteRequired: boolean) =>
    createRoute({
      method: 'post',
      path: `/predictions/alerts/{id}/${action}`,
      tags,
      summary:
        action === 'acknowledge'
          ? 'Acknowledge an open predictive alert'
          : 'Resolve a predictive alert, with what was found',
      middleware: [guard('prediction:manage')] as const,
      request: {
        params,
        body: jsonBody(
          z
            .object({
              note: noteRequired
                ? z.string().trim().min(1).max(2000)
                : z.string().trim().min(1).max(2000).optional(),
            })
            .strict(),
        ),
      },
      responses: { 200: alertResult, ...errorResponses(400, 401, 403, 404, 409) },
    })
  for (const [action, past, noteRequired] of [
    ['acknowledge', 'acknowledged', false],
    ['resolve', 'resolved', true],
  ] as const) {
    routes.openapi(acting(action, noteRequired), async (c) => {
      const { id } = c.req.valid('param')
      const { note } = c.req.valid('json')
      const caller = deps.caller(c)
      const alert = await change(
        (store) => store.act(id, action, caller.userId, caller.communities, now(), note),
        (after) => ({ action: past, alert: after, userId: caller.userId, note }),
      )
      return c.json({ alert: alertView(alert) }, 200)
    })
  }

  const opened = z.object({
    alert: alertItem,
    workOrder: z.object({
      ref: z.string().openapi({ description: 'the work order id (GET /work-orders/{id})' }),
      created: z.boolean().openapi({ description: 'false: the alert already had this work order' }),
    }),
  })
  routes.openapi(
    createRoute({
      method: 'post',
      path: '/predictions/alerts/{id}/work-order',
      tags,
      summary: "Open the alert's maintenance work order, carrying its evidence (idempotent)",
      middleware: [guard('workorder:create')] as const,
      request: { params },
      responses: {
        200: json(opened, 'the alert already had its work order'),
        201: json(opened, 'opened now'),
        ...errorResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const caller = deps.caller(c)
      // The route declares workorder:create; opening one for an alert also means seeing the alert.
      if (!caller.permissions.has('prediction:read'))
        throw new ApiError(403, 'forbidden', 'your role may not read predictions')
      const alert = await domain(() => deps.job.alertStore.get(id, caller.communities))
      if (alert.workOrderRef !== null) {
        return c.json(
          { alert: alertView(alert), workOrder: { ref: alert.workOrderRef, created: false } },
          200,
        )
      }
      if (!ACTIVE.includes(alert.state)) {
        throw new ApiError(
          409,
          'invalid_transition',
          `cannot open a work order for an alert that is ${alert.state}`,
        )
      }
      // The opener is idempotent on the alert id: concurrent clicks get the same order.
      const ref = await deps.job.workOrders.open({
        alertId: alert.id,
        communityId: alert.communityId,
        deviceId: alert.deviceId,
        deviceKind: alert.deviceKind,
        severity: alert.ttfHours !== null && alert.ttfHours <= 48 ? 'critical' : 'major',
        title: workOrderTitle(alert),
        risk: alert.lastRisk,
        predictedFailureAt: alert.predictedFailureAt,
        evidence: alert.evidence,
        model: alert.model,
        modelVersion: alert.modelVersion,
        raisedAt: alert.raisedAt,
      })
      if (ref === null) throw new ApiError(503, 'unavailable', 'no work-order service is configured')
      const after = await change(
        async (store) => {
          await store.setWorkOrder(alert.id, ref)
          return store.get(alert.id, caller.communities)
        },
        (updated) => ({ action: 'work_order', alert: updated, userId: caller.userId }),
      )
      return c.json({ alert: alertView(after), workOrder: { ref, created: true } }, 201)
    },
  )

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
