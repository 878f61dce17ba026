/**
 * Billing routes, part one — what finance sets up and runs each month:
 *
 * - `GET|POST /fees/items`, `POST /fees/items/{id}/archive` — fee items of a community;
 * - `GET|POST /fees/cycles`, `GET /fees/cycles/{id}` — billing cycles;
 * - `POST /fees/cycles/{id}/readings/collect` — meter readings from telemetry at cycle close;
 * - `GET /fees/cycles/{id}/readings`, `PUT /fees/cycles/{id}/readings/{deviceId}`, `POST /fees/readings/{id}/accept`;
 * - `POST /fees/cycles/{id}/generate` — the cycle's bills.
 *
 * Reads need `fee:read`, changes `fee:manage`; the services check that the caller's scope covers the community.
 * The money routes are in payment-routes.ts; `billingRoutes` mounts both.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import type { Billing } from './billing.ts'
import { paymentRoutes } from './payment-routes.ts'
import {
  collectSummary,
  cycle,
  cycleInput,
  feeItem,
  feeItemInput,
  generateSummary,
  idParams,
  idText,
  reading,
  readingInput,
} from './schemas.ts'

const tags = ['fees']
const read = () => [guard('fee:read')]
const manage = () => [guard('fee:manage')]

const listItems = createRoute({
  method: 'get',
  path: '/fees/items',
  tags,
  summary: 'Fee items of a community',
  middleware: read(),
  request: {
    query: z.strictObject({ communityId: idText, includeArchived: z.enum(['true', 'false']).optional() }),
  },
  responses: {
    200: json(z.strictObject({ items: z.array(feeItem) })),
    ...errorResponses(400, 401, 403, 404),
  },
})

const createItem = createRoute({
  method: 'post',
  path: '/fees/items',
  tags,
  summary: 'Create a fee item (area × unit price, fixed, metered with shared public use, or one-off)',
  middleware: manage(),
  request: { body: jsonBody(feeItemInput) },
  responses: { 201: json(feeItem, 'created'), ...errorResponses(400, 401, 403, 404) },
})

const archiveItem = createRoute({
  method: 'post',
  path: '/fees/items/{id}/archive',
  tags,
  summary: 'Archive a fee item (no longer billed)',
  middleware: manage(),
  request: { params: idParams },
  responses: { 200: json(feeItem), ...errorResponses(401, 403, 404) },
})

const listCycles = createRoute({
  method: 'get',
  path: '/fees/cycles',
  tags,
  summary: 'Billing cycles of a community, newest first',
  middleware: read(),
  request: { query: z.strictObject({ communityId: idText }) },
  responses: { 200: json(z.strictObject({ items: z.array(cycle) })), ...errorResponses(400, 401, 403, 404) },
})

const getCycle = createRoute({
  method: 'get',
  path: '/fees/cycles/{id}',
  tags,
  summary: 'Read a billing cycle',
  middleware: read(),
  request: { params: idParams },
  responses: { 200: json(cycle), ...errorResponses(401, 403, 404) },
})

const createCycle = createRoute({
  method: 'post',
  path: '/fees/cycles',
  tags,
  summary: 'Open the billing cycle of a month',
  middleware: manage(),
  request: { body: jsonBody(cycleInput) },
  responses: { 201: json(cycle, 'created'), ...errorResponses(400, 401, 403, 404, 409) },
})

const collect = createRoute({
  method: 'post',
  path: '/fees/cycles/{id}/readings/collect',
  tags,
  summary: "Read every meter from telemetry at the cycle's close and flag implausible readings",
  middleware: manage(),
  request: { params: idParams },
  responses: { 200: json(collectSummary), ...errorResponses(401, 403, 404, 409) },
})

const listReadings = createRoute({
  method: 'get',
  path: '/fees/cycles/{id}/readings',
  tags,
  summary: 'Meter readings of a cycle (`flagged=true`: only those blocking billing)',
  middleware: read(),
  request: {
    params: idParams,
    query: z.strictObject({
      flagged: z.enum(['true', 'false']).optional(),
      after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
      limit: z.coerce.number().int().min(1).max(1000).optional(),
    }),
  },
  responses: {
    200: json(z.strictObject({ items: z.array(reading), next: z.number().int().nullable() })),
    ...errorResponses(400, 401, 403, 404),
  },
})

const enterReading = createRoute({
  method: 'put',
  path: '/fees/cycles/{id}/readings/{deviceId}',
  tags,
  summary: "Enter a meter's reading by hand (replaces the telemetry reading and its flag)",
  middleware: manage(),
  request: { params: z.strictObject({ id: idText, deviceId: idText }), body: jsonBody(readingInput) },
  responses: { 200: json(reading), ...errorResponses(400, 401, 403, 404, 409) },
})

const acceptReading = createRoute({
  method: 'post',
  path: '/fees/readings/{id}/accept',
  tags,
  summary: 'Accept a reading flagged as a jump or a stuck meter as it is',
  middleware: manage(),
  request: { params: z.strictObject({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }) },
  responses: { 200: json(reading), ...errorResponses(400, 401, 403, 404, 409) },
})

const generate = createRoute({
  method: 'post',
  path: '/fees/cycles/{id}/generate',
  tags,
  summary: "Generate the cycle's bills for every unit of the community",
  middleware: manage(),
  request: { params: idParams },
  responses: { 200: json(generateSummary), ...errorResponses(401, 403, 404, 409) },
})

/** The billing routes (set-up, readings, generation, and the money routes of payment-routes.ts). */
export function billingRoutes(billing: Billing) {
  const app = routeApp()
    .openapi(listItems, async (c) => {
      const q = c.req.valid('query')
      const items = await billing.items.list(authOf(c), q.communityId, q.includeArchived === 'true')
      return c.json({ items }, 200)
    })
    .openapi(createItem, async (c) =>
      c.json(await billing.items.create(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(archiveItem, async (c) =>
      c.json(await billing.items.archive(authOf(c), c.req.valid('param').id, c.var.requestId), 200),
    )
    .openapi(listCycles, async (c) =>
      c.json({ items: await billing.cycles.list(authOf(c), c.req.valid('query').communityId) }, 200),
    )
    .openapi(getCycle, async (c) => c.json(await billing.cycles.get(authOf(c), c.req.valid('param').id), 200))
    .openapi(createCycle, async (c) =>
      c.json(await billing.cycles.create(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(collect, async (c) =>
      c.json(await billing.readings.collect(authOf(c), c.req.valid('param').id, c.var.requestId), 200),
    )
    .openapi(listReadings, async (c) => {
      const q = c.req.valid('query')
      const page = await billing.readings.list(authOf(c), c.req.valid('param').id, {
        flagged: q.flagged === 'true',
        after: q.after ?? 0,
        limit: q.limit ?? 200,
      })
      return c.json(page, 200)
    })
    .openapi(enterReading, async (c) => {
      const { id, deviceId } = c.req.valid('param')
      return c.json(
        await billing.readings.enter(authOf(c), id, deviceId, c.req.valid('json'), c.var.requestId),
        200,
      )
    })
    .openapi(acceptReading, async (c) =>
      c.json(await billing.readings.accept(authOf(c), c.req.valid('param').id, c.var.requestId), 200),
    )
    .openapi(generate, async (c) =>
      c.json(await billing.generator.generate(authOf(c), c.req.valid('param').id, c.var.requestId), 200),
    )
  app.route('/', paymentRoutes(billing))
  return app
}
