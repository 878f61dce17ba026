/**
 * Complaint routes:
 *
 * - `GET /complaints`, `GET /complaints/{id}` (complaint:read; residents see their household's);
 * - `POST /complaints` (complaint:create) — a resident for their household, staff for any place in scope;
 * - `POST /complaints/{id}/process|resolve|close` (complaint:manage; 409 off the lifecycle);
 * - `POST /complaints/{id}/work-orders` (complaint:manage) — link a work order, or open one from the complaint;
 * - `POST /complaints/{id}/satisfaction` (complaint:rate) — the complainant's verdict.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Platform } from '../platform.ts'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import { categories } from '../workorders/schemas.ts'
import { WorkOrderService } from '../workorders/service.ts'
import { priorities } from '../workorders/sla.ts'
import { complaintActions, complaintCategories, ComplaintService, complaintStates } from './service.ts'

const tags = ['complaints']
const id = z.string().min(1).max(64)
const idParams = z.strictObject({ id })
const ts = z.string()

export const complaintSchema = z
  .strictObject({
    id: z.string(),
    communityId: z.string(),
    buildingId: z.string().nullable(),
    unitId: z.string().nullable(),
    householdId: z.string().nullable(),
    areaId: z.string().nullable(),
    location: z.string(),
    locationDetail: z.string(),
    category: z.string(),
    channel: z.string(),
    description: z.string(),
    state: z.enum(complaintStates),
    reporterId: z.string(),
    handlerId: z.string().nullable(),
    outcome: z.string().nullable(),
    satisfaction: z.number().int().nullable(),
    satisfactionComment: z.string().nullable(),
    createdAt: ts,
    updatedAt: ts,
    resolvedAt: ts.nullable(),
    closedAt: ts.nullable(),
    workOrderIds: z.array(z.string()),
  })
  .openapi('Complaint')

const list = createRoute({
  method: 'get',
  path: '/complaints',
  tags,
  summary: 'Complaints in your scope, newest first',
  middleware: [guard('complaint:read')] as const,
  request: {
    query: z.strictObject({
      state: z.enum(complaintStates).optional(),
      category: z.enum(complaintCategories).optional(),
      limit: z.coerce.number().int().min(1).max(200).optional(),
    }),
  },
  responses: {
    200: json(z.strictObject({ items: z.array(complaintSchema) })),
    ...errorResponses(400, 401, 403),
  },
})

const create = createRoute({
  method: 'post',
  path: '/complaints',
  tags,
  summary: 'Lodge a complaint about a building, a unit or an open area',
  middleware: [guard('complaint:create')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        category: z.enum(complaintCategories),
        channel: z.enum(['app', 'phone', 'counter', 'wechat', 'email']),
        description: z.string().trim().min(2).max(4000),
        locationDetail: z.string().max(200).optional(),
        communityId: id.optional(),
        buildingId: id.optional(),
        unitId: id.optional(),
        householdId: id.optional(),
        areaId: id.optional(),
      }),
    ),
  },
  responses: { 201: json(complaintSchema, 'lodged'), ...errorResponses(400, 401, 403, 404) },
})

const get = createRoute({
  method: 'get',
  path: '/complaints/{id}',
  tags,
  summary: 'One complaint with its linked work orders',
  middleware: [guard('complaint:read')] as const,
  request: { params: idParams },
  responses: { 200: json(complaintSchema), ...errorResponses(401, 403, 404) },
})

const link = createRoute({
  method: 'post',
  path: '/complaints/{id}/work-orders',
  tags,
  summary: 'Link a work order, or open one from the complaint (once)',
  middleware: [guard('complaint:manage')] as const,
  request: {
    params: idParams,
    body: jsonBody(
      z.union([
        z.strictObject({ workOrderId: id }),
        z.strictObject({
          title: z.string().trim().min(2).max(200),
          category: z.enum(categories),
          priority: z.enum(priorities).optional(),
          description: z.string().max(4000).optional(),
        }),
      ]),
    ),
  },
  responses: { 200: json(complaintSchema), ...errorResponses(400, 401, 403, 404, 409) },
})

const rate = createRoute({
  method: 'post',
  path: '/complaints/{id}/satisfaction',
  tags,
  summary: "The complainant's satisfaction with the outcome (once)",
  middleware: [guard('complaint:rate')] as const,
  request: {
    params: idParams,
    body: jsonBody(
      z.strictObject({
        satisfaction: z.number().int().min(1).max(5),
        comment: z.string().max(1000).optional(),
      }),
    ),
  },
  responses: { 200: json(complaintSchema), ...errorResponses(400, 401, 403, 404, 409) },
})

const actBody = z.strictObject({
  outcome: z.string().trim().min(2).max(4000).optional(),
  /** close: satisfaction taken on the closing call. */
  satisfaction: z.number().int().min(1).max(5).optional(),
})

/** The complaint routes. */
export function complaintRoutes(complaints: ComplaintService) {
  const app = routeApp()
    .openapi(list, async (c) => {
      const q = c.req.valid('query')
      return c.json({ items: await complaints.list(authOf(c), { ...q, limit: q.limit ?? 50 }) }, 200)
    })
    .openapi(create, async (c) =>
      c.json(await complaints.create(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(get, async (c) => c.json(await complaints.get(authOf(c), c.req.valid('param').id), 200))
    .openapi(link, async (c) =>
      c.json(
        await complaints.link(authOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.requestId),
        200,
      ),
    )
    .openapi(rate, async (c) =>
      c.json(
        await complaints.rate(authOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.requestId),
        200,
      ),
    )
  for (const action of complaintActions) {
    const route = createRoute({
      method: 'post',
      path: `/complaints/{id}/${action}`,
      tags,
      summary: `${action} a complaint${action === 'resolve' ? ' (with its outcome)' : ''}`,
      middleware: [guard('complaint:manage')] as const,
      request: { params: idParams, body: jsonBody(actBody) },
      responses: { 200: json(complaintSchema), ...errorResponses(400, 401, 403, 404, 409) },
    })
    app.openapi(route, async (c) =>
      c.json(
        await complaints.act(
          authOf(c),
          c.req.valid('param').id,
          action,
          c.req.valid('json'),
          c.var.requestId,
        ),
        200,
      ),
    )
  }
  return app
}

/** The complaint module as the app mounts it. */
export function complaintApi(platform: Pick<Platform, 'db' | 'auditor'>) {
  const orders = new WorkOrderService({ db: platform.db, auditor: platform.auditor })
  return complaintRoutes(new ComplaintService(platform.db, platform.auditor, orders))
}
