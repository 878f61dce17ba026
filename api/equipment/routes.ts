/**
 * Equipment and maintenance routes:
 *
 * - `GET /equipment`, `GET /equipment/{id}` (equipment:read) — devices in scope with plans and latest records;
 * - `GET /maintenance-plans` (equipment:read), `POST /maintenance-plans` (equipment:manage; an elevator's plan
 *   allows at most 15 days, grace included: 400 otherwise);
 * - `POST /maintenance-records` (equipment:maintain) — a visit: moves the plan on, resolves its alert;
 * - `GET /maintenance-alerts` (equipment:read) — missed plans.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import type { Platform } from '../platform.ts'
import { listAlerts } from './monitor.ts'
import { EquipmentService } from './service.ts'

const tags = ['equipment']
const id = z.string().min(1).max(64)
const ts = z.string()
const limit = z.coerce.number().int().min(1).max(500).optional()

const planSchema = z
  .strictObject({
    id: z.string(),
    deviceId: z.string(),
    deviceKind: z.string(),
    communityId: z.string(),
    buildingId: z.string().nullable(),
    name: z.string(),
    intervalDays: z.number().int(),
    graceDays: z.number().int(),
    nextDueAt: ts,
    lastDoneAt: ts.nullable(),
    active: z.boolean(),
  })
  .openapi('MaintenancePlan')
const recordSchema = z
  .strictObject({
    id: z.string(),
    deviceId: z.string(),
    planId: z.string().nullable(),
    kind: z.string(),
    performedAt: ts,
    performedBy: z.string(),
    findings: z.string(),
    workOrderId: z.string().nullable(),
    recordedAt: ts,
  })
  .openapi('MaintenanceRecord')
const deviceFields = {
  id: z.string(),
  communityId: z.string(),
  buildingId: z.string().nullable(),
  unitId: z.string().nullable(),
  kind: z.string(),
  model: z.string(),
  installDate: z.string(),
}
const deviceSchema = z.strictObject({ ...deviceFields, nextDueAt: ts.nullable() }).openapi('Equipment')
const deviceDetailSchema = z
  .strictObject({ ...deviceFields, plans: z.array(planSchema), records: z.array(recordSchema) })
  .openapi('EquipmentDetail')
const alertSchema = z
  .strictObject({
    id: z.number().int(),
    planId: z.string(),
    communityId: z.string(),
    buildingId: z.string().nullable(),
    deviceId: z.string(),
    deviceKind: z.string(),
    kind: z.literal('overdue'),
    dueAt: ts,
    raisedAt: ts,
    state: z.enum(['open', 'resolved']),
    resolvedAt: ts.nullable(),
    resolvedBy: z.string().nullable(),
    recordId: z.string().nullable(),
  })
  .openapi('MaintenanceAlert')

const list = createRoute({
  method: 'get',
  path: '/equipment',
  tags,
  summary: 'Devices in your scope with their next maintenance due',
  middleware: [guard('equipment:read')] as const,
  request: { query: z.strictObject({ kind: z.string().max(40).optional(), limit }) },
  responses: {
    200: json(z.strictObject({ items: z.array(deviceSchema) })),
    ...errorResponses(400, 401, 403),
  },
})
const get = createRoute({
  method: 'get',
  path: '/equipment/{id}',
  tags,
  summary: 'One device with its maintenance plans and latest records',
  middleware: [guard('equipment:read')] as const,
  request: { params: z.strictObject({ id }) },
  responses: { 200: json(deviceDetailSchema), ...errorResponses(401, 403, 404) },
})
const plans = createRoute({
  method: 'get',
  path: '/maintenance-plans',
  tags,
  summary: 'Active maintenance plans, soonest due first',
  middleware: [guard('equipment:read')] as const,
  request: { query: z.strictObject({ overdue: z.enum(['true', 'false']).optional(), limit }) },
  responses: { 200: json(z.strictObject({ items: z.array(planSchema) })), ...errorResponses(400, 401, 403) },
})
const createPlan = createRoute({
  method: 'post',
  path: '/maintenance-plans',
  tags,
  summary: 'Plan recurring maintenance of a device (elevators: at most every 15 days, TSG T5002)',
  middleware: [guard('equipment:manage')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        deviceId: id,
        name: z.string().trim().min(2).max(200),
        intervalDays: z.number().int().min(1).max(366),
        graceDays: z.number().int().min(0).max(30).optional(),
        firstDueAt: z.iso.datetime({ offset: true }).optional(),
      }),
    ),
  },
  responses: { 201: json(planSchema, 'planned'), ...errorResponses(400, 401, 403, 404) },
})
const record = createRoute({
  method: 'post',
  path: '/maintenance-records',
  tags,
  summary: 'Record a maintenance visit (moves its plan on, resolves a missed-plan alert)',
  middleware: [guard('equipment:maintain')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        deviceId: id,
        planId: id.optional(),
        kind: z.enum(['routine', 'repair', 'annual_inspection']),
        performedAt: z.iso.datetime({ offset: true }),
        findings: z.string().max(4000).optional(),
      }),
    ),
  },
  responses: {
    201: json(
      z.strictObject({
        record: recordSchema,
        plansAdvanced: z.array(z.string()),
        alertsResolved: z.array(z.number().int()),
      }),
      'recorded',
    ),
    ...errorResponses(400, 401, 403, 404, 409),
  },
})
const alerts = createRoute({
  method: 'get',
  path: '/maintenance-alerts',
  tags,
  summary: 'Missed maintenance plans',
  middleware: [guard('equipment:read')] as const,
  request: { query: z.strictObject({ state: z.enum(['open', 'resolved']).optional(), limit }) },
  responses: { 200: json(z.strictObject({ items: z.array(alertSchema) })), ...errorResponses(400, 401, 403) },
})

/** The equipment routes. */
export function equipmentRoutes(equipment: EquipmentService, db: Platform['db']) {
  return routeApp()
    .openapi(list, async (c) => {
      const q = c.req.valid('query')
      return c.json({ items: await equipment.list(authOf(c), { kind: q.kind, limit: q.limit ?? 100 }) }, 200)
    })
    .openapi(get, async (c) => c.json(await equipment.get(authOf(c), c.req.valid('param').id), 200))
    .openapi(plans, async (c) => {
      const q = c.req.valid('query')
      const items = await equipment.plans(authOf(c), { overdue: q.overdue === 'true', limit: q.limit ?? 100 })
      return c.json({ items }, 200)
    })
    .openapi(createPlan, async (c) =>
      c.json(await equipment.createPlan(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(record, async (c) =>
      c.json(await equipment.record(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(alerts, async (c) => {
      const q = c.req.valid('query')
      return c.json(
        { items: await listAlerts(db, authOf(c), { state: q.state, limit: q.limit ?? 100 }) },
        200,
      )
    })
}

/** The equipment module as the app mounts it. */
export function equipmentApi(platform: Pick<Platform, 'db' | 'auditor'>) {
  return equipmentRoutes(new EquipmentService(platform.db, platform.auditor), platform.db)
}
