/**
 * Inspection routes (HTTP):
 *
 * - `GET /inspection-routes`, `GET /inspection-routes/{id}` (inspection:read);
 *   `POST /inspection-routes` (inspection:manage) — a route with its points;
 * - `GET /inspection-tasks`, `GET /inspection-tasks/{id}` (inspection:read);
 *   `POST /inspection-tasks` (inspection:manage) — schedule a walk of a route;
 * - `POST /inspection-tasks/{id}/check-ins` (inspection:perform) — a point checked, a finding may open a work
 *   order (409 once the task is completed or missed, or the point was already checked).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import type { Platform } from '../platform.ts'
import { categories } from '../workorders/schemas.ts'
import { WorkOrderService } from '../workorders/service.ts'
import { priorities } from '../workorders/sla.ts'
import { InspectionRoutes, routeKinds } from './route-plans.ts'
import { InspectionTasks } from './tasks.ts'

const tags = ['inspections']
const id = z.string().min(1).max(64)
const ts = z.string()
const limit = z.coerce.number().int().min(1).max(200).optional()
const idParams = z.strictObject({ id })

const pointSchema = z.strictObject({
  id: z.string(),
  seq: z.number().int(),
  name: z.string(),
  buildingId: z.string().nullable(),
  deviceId: z.string().nullable(),
  areaId: z.string().nullable(),
  checklist: z.array(z.string()),
})
const routeSchema = z
  .strictObject({
    id: z.string(),
    communityId: z.string(),
    buildingId: z.string().nullable(),
    name: z.string(),
    kind: z.string(),
    active: z.boolean(),
    createdAt: ts,
    points: z.array(pointSchema),
  })
  .openapi('InspectionRoute')
const taskStates = ['scheduled', 'in_progress', 'completed', 'missed'] as const
const taskSchema = z
  .strictObject({
    id: z.string(),
    routeId: z.string(),
    communityId: z.string(),
    buildingId: z.string().nullable(),
    scheduledFor: ts,
    dueAt: ts,
    assigneeId: z.string().nullable(),
    state: z.enum(taskStates),
    startedAt: ts.nullable(),
    completedAt: ts.nullable(),
    points: z.number().int(),
    checkins: z.array(
      z.strictObject({
        id: z.string(),
        pointId: z.string(),
        at: ts,
        by: z.string(),
        result: z.enum(['ok', 'issue']),
        findings: z.string(),
        workOrderId: z.string().nullable(),
      }),
    ),
  })
  .openapi('InspectionTask')

const listRoutes = createRoute({
  method: 'get',
  path: '/inspection-routes',
  tags,
  summary: 'Inspection routes in your scope',
  middleware: [guard('inspection:read')] as const,
  request: { query: z.strictObject({ limit }) },
  responses: { 200: json(z.strictObject({ items: z.array(routeSchema) })), ...errorResponses(400, 401, 403) },
})
const getRoute = createRoute({
  method: 'get',
  path: '/inspection-routes/{id}',
  tags,
  summary: 'One inspection route with its points',
  middleware: [guard('inspection:read')] as const,
  request: { params: idParams },
  responses: { 200: json(routeSchema), ...errorResponses(401, 403, 404) },
})
const createRouteRoute = createRoute({
  method: 'post',
  path: '/inspection-routes',
  tags,
  summary: 'Define an inspection route and its points',
  middleware: [guard('inspection:manage')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        communityId: id.optional(),
        buildingId: id.optional(),
        name: z.string().trim().min(2).max(200),
        kind: z.enum(routeKinds),
        points: z
          .array(
            z.strictObject({
              name: z.string().trim().min(1).max(200),
              buildingId: id.optional(),
              deviceId: id.optional(),
              areaId: id.optional(),
              checklist: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
            }),
          )
          .min(1)
          .max(200),
      }),
    ),
  },
  responses: { 201: json(routeSchema, 'created'), ...errorResponses(400, 401, 403, 404) },
})
const listTasks = createRoute({
  method: 'get',
  path: '/inspection-tasks',
  tags,
  summary: 'Inspection tasks in your scope, latest first',
  middleware: [guard('inspection:read')] as const,
  request: { query: z.strictObject({ state: z.enum(taskStates).optional(), limit }) },
  responses: { 200: json(z.strictObject({ items: z.array(taskSchema) })), ...errorResponses(400, 401, 403) },
})
const getTask = createRoute({
  method: 'get',
  path: '/inspection-tasks/{id}',
  tags,
  summary: 'One inspection task with its check-ins',
  middleware: [guard('inspection:read')] as const,
  request: { params: idParams },
  responses: { 200: json(taskSchema), ...errorResponses(401, 403, 404) },
})
const schedule = createRoute({
  method: 'post',
  path: '/inspection-tasks',
  tags,
  summary: 'Schedule a walk of an inspection route',
  middleware: [guard('inspection:manage')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        routeId: id,
        scheduledFor: z.iso.datetime({ offset: true }),
        dueAt: z.iso.datetime({ offset: true }),
        assigneeId: id.optional(),
      }),
    ),
  },
  responses: { 201: json(taskSchema, 'scheduled'), ...errorResponses(400, 401, 403, 404, 409) },
})
const checkIn = createRoute({
  method: 'post',
  path: '/inspection-tasks/{id}/check-ins',
  tags,
  summary: 'Check in at a point; a finding can open a work order',
  middleware: [guard('inspection:perform')] as const,
  request: {
    params: idParams,
    body: jsonBody(
      z.strictObject({
        pointId: id,
        result: z.enum(['ok', 'issue']),
        findings: z.string().max(4000).optional(),
        workOrder: z
          .strictObject({
            title: z.string().trim().min(2).max(200),
            category: z.enum(categories),
            priority: z.enum(priorities).optional(),
          })
          .optional(),
      }),
    ),
  },
  responses: { 201: json(taskSchema, 'checked in'), ...errorResponses(400, 401, 403, 404, 409) },
})

/** The inspection routes. */
export function inspectionRoutes(routes: InspectionRoutes, tasks: InspectionTasks) {
  return routeApp()
    .openapi(listRoutes, async (c) =>
      c.json({ items: await routes.list(authOf(c), c.req.valid('query').limit ?? 50) }, 200),
    )
    .openapi(getRoute, async (c) => c.json(await routes.get(authOf(c), c.req.valid('param').id), 200))
    .openapi(createRouteRoute, async (c) =>
      c.json(await routes.create(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(listTasks, async (c) => {
      const q = c.req.valid('query')
      return c.json({ items: await tasks.list(authOf(c), { state: q.state, limit: q.limit ?? 50 }) }, 200)
    })
    .openapi(getTask, async (c) => c.json(await tasks.get(authOf(c), c.req.valid('param').id), 200))
    .openapi(schedule, async (c) =>
      c.json(await tasks.schedule(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(checkIn, async (c) =>
      c.json(
        await tasks.checkIn(authOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.requestId),
        201,
      ),
    )
}

/** The inspection module as the app mounts it. */
export function inspectionApi(platform: Pick<Platform, 'db' | 'auditor'>) {
  const routes = new InspectionRoutes(platform.db, platform.auditor)
  const orders = new WorkOrderService({ db: platform.db, auditor: platform.auditor })
  return inspectionRoutes(routes, new InspectionTasks(platform.db, platform.auditor, routes, orders))
}
