/**
 * People acting on predictive alerts, mounted by `predictionRoutes`: acknowledge and resolve
 * (`prediction:manage`), and open the alert's work order (`workorder:create`, idempotent). Each change commits in
 * one transaction with its audit entry when an audit hook is wired.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { Postgres, Sql } from '../../data/index.ts'
import type { StoredAlert } from '../../models/index.ts'
import { AlertNotFoundError, AlertStore, AlertTransitionError, workOrderTitle } from '../../models/index.ts'
import type { AppEnv } from '../auth/context.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { errorResponses, json, jsonBody } from '../http/openapi.ts'
import { alertItem, alertView } from './prediction-views.ts'
import type { AlertChange, PredictionGuard, PredictionRouteDeps } from './predictions.ts'

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

/** Adds the alert action routes to `routes`. */
export function alertActionRoutes(
  routes: OpenAPIHono<AppEnv>,
  deps: PredictionRouteDeps,
  guard: PredictionGuard,
  now: () => number,
  tags: string[],
): void {
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
        title: workOrderTitle({ ...alert, kind: alert.deviceKind, risk: alert.lastRisk }),
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
}
