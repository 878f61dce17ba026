/**
 * Work-order routes. One route per action of the transition table, each declaring the table's permission:
 *
 * - `GET /work-orders`, `GET /work-orders/{id}`, `…/history`, `…/costs` (workorder:read; residents see their
 *   household's orders only);
 * - `POST /work-orders` (workorder:create) — a resident's repair request or a staff member's order;
 * - `POST /work-orders/{id}/{action}` for assign (no assigneeId = round-robin), grab, accept, reject, start, hold,
 *   resume, resolve, verify, reopen, close — 409 `illegal_transition` when the table has no such edge;
 * - `POST /work-orders/{id}/costs` (workorder:work), `…/rating` (workorder:rate), `…/return-visit`
 *   (workorder:manage).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import type { WorkOrderCosts } from './costs.ts'
import {
  actSchema,
  addCostSchema,
  costSchema,
  createWorkOrderSchema,
  historySchema,
  idParams,
  listQuerySchema,
  rateSchema,
  returnVisitSchema,
  workOrderSchema,
} from './schemas.ts'
import type { WorkOrderService } from './service.ts'
import { transitions, workOrderActions } from './transitions.ts'

const tags = ['work orders']

const list = createRoute({
  method: 'get',
  path: '/work-orders',
  tags,
  summary: 'Work orders in your scope, newest first',
  middleware: [guard('workorder:read')] as const,
  request: { query: listQuerySchema },
  responses: {
    200: json(z.strictObject({ items: z.array(workOrderSchema), nextCursor: z.string().nullable() })),
    ...errorResponses(400, 401, 403),
  },
})

const create = createRoute({
  method: 'post',
  path: '/work-orders',
  tags,
  summary: 'Open a work order (a resident: a repair request for their household)',
  middleware: [guard('workorder:create')] as const,
  request: { body: jsonBody(createWorkOrderSchema) },
  responses: { 201: json(workOrderSchema, 'opened'), ...errorResponses(400, 401, 403, 404) },
})

const get = createRoute({
  method: 'get',
  path: '/work-orders/{id}',
  tags,
  summary: 'One work order',
  middleware: [guard('workorder:read')] as const,
  request: { params: idParams },
  responses: { 200: json(workOrderSchema), ...errorResponses(401, 403, 404) },
})

const history = createRoute({
  method: 'get',
  path: '/work-orders/{id}/history',
  tags,
  summary: 'Every change of a work order: who, what, when',
  middleware: [guard('workorder:read')] as const,
  request: { params: idParams },
  responses: {
    200: json(z.strictObject({ items: z.array(historySchema) })),
    ...errorResponses(401, 403, 404),
  },
})

const costs = createRoute({
  method: 'get',
  path: '/work-orders/{id}/costs',
  tags,
  summary: 'Parts and labour booked on a work order (fen)',
  middleware: [guard('workorder:read')] as const,
  request: { params: idParams },
  responses: { 200: json(z.strictObject({ items: z.array(costSchema) })), ...errorResponses(401, 403, 404) },
})

const addCost = createRoute({
  method: 'post',
  path: '/work-orders/{id}/costs',
  tags,
  summary: 'Book parts or labour (integer fen)',
  middleware: [guard('workorder:work')] as const,
  request: { params: idParams, body: jsonBody(addCostSchema) },
  responses: {
    201: json(z.strictObject({ items: z.array(costSchema) }), 'booked'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
})

const rate = createRoute({
  method: 'post',
  path: '/work-orders/{id}/rating',
  tags,
  summary: "The resident's rating of a finished repair (once)",
  middleware: [guard('workorder:rate')] as const,
  request: { params: idParams, body: jsonBody(rateSchema) },
  responses: { 200: json(workOrderSchema), ...errorResponses(400, 401, 403, 404, 409) },
})

const returnVisit = createRoute({
  method: 'post',
  path: '/work-orders/{id}/return-visit',
  tags,
  summary: 'Record the return visit to the household',
  middleware: [guard('workorder:manage')] as const,
  request: { params: idParams, body: jsonBody(returnVisitSchema) },
  responses: { 200: json(workOrderSchema), ...errorResponses(400, 401, 403, 404, 409) },
})

/** The work-order routes. */
export function workOrderRoutes(orders: WorkOrderService, costBook: WorkOrderCosts) {
  const app = routeApp()
    .openapi(list, async (c) => {
      const q = c.req.valid('query')
      const page = await orders.list(authOf(c), {
        state: q.state,
        communityId: q.communityId,
        assignee: q.assignee,
        unassigned: q.unassigned === 'true',
        source: q.source,
        cursor: q.cursor,
        limit: q.limit ?? 50,
      })
      return c.json(page, 200)
    })
    .openapi(create, async (c) =>
      c.json(await orders.create(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(get, async (c) => c.json(await orders.get(authOf(c), c.req.valid('param').id), 200))
    .openapi(history, async (c) =>
      c.json({ items: await orders.history(authOf(c), c.req.valid('param').id) }, 200),
    )
    .openapi(costs, async (c) =>
      c.json({ items: await costBook.list(authOf(c), c.req.valid('param').id) }, 200),
    )
    .openapi(addCost, async (c) =>
      c.json(
        {
          items: await costBook.add(authOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.requestId),
        },
        201,
      ),
    )
    .openapi(rate, async (c) =>
      c.json(
        await orders.rate(authOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.requestId),
        200,
      ),
    )
    .openapi(returnVisit, async (c) =>
      c.json(
        await orders.returnVisit(authOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.requestId),
        200,
      ),
    )
  for (const action of workOrderActions) {
    const t = transitions[action]
    const route = createRoute({
      method: 'post',
      path: `/work-orders/{id}/${action}`,
      tags,
      summary: `${t.summary} (${t.from.join(', ')} → ${t.to})`,
      middleware: [guard(t.permission)] as const,
      request: { params: idParams, body: jsonBody(actSchema) },
      responses: { 200: json(workOrderSchema), ...errorResponses(400, 401, 403, 404, 409) },
    })
    app.openapi(route, async (c) =>
      c.json(
        await orders.act(authOf(c), c.req.valid('param').id, action, c.req.valid('json'), c.var.requestId),
        200,
      ),
    )
  }
  return app
}
