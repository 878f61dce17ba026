/**
 * Third-party service routes (all under `/services`):
 *
 * - `GET /services/providers` (service:read), `POST /services/providers`, `PATCH /services/providers/{id}`
 *   (service:manage);
 * - `GET /services/orders`, `GET /services/orders/{id}` (service:read), `POST /services/orders`,
 *   `POST /services/orders/{id}/transition`, `POST /services/orders/{id}/rate` (service:order — staff record
 *   progress, households cancel and rate their own).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import type { Platform } from '../platform.ts'
import { OrderService } from './orders.ts'
import { providerCategories, ProviderService } from './providers.ts'
import { orderStatuses } from './transitions.ts'

const id = z.string().min(1).max(64)
const idParams = z.strictObject({ id })
const tags = ['services']
const category = z.enum(providerCategories)
const status = z.enum(orderStatuses)
const contactPhone = z.string().regex(/^[0-9+\-() ]{5,20}$/, 'a phone number')

export const providerSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    category,
    communityIds: z.array(z.string()),
    contactPhone: z.string(),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('ServiceProvider')
export const orderSchema = z
  .strictObject({
    id: z.string(),
    providerId: z.string(),
    communityId: z.string(),
    buildingId: z.string(),
    householdId: z.string(),
    description: z.string(),
    scheduledAt: z.string(),
    priceFen: z.number().int().nullable(),
    status,
    rating: z.number().int().nullable(),
    ratingComment: z.string().nullable(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .openapi('ServiceOrder')

const listProviders = createRoute({
  method: 'get',
  path: '/services/providers',
  tags,
  summary: 'Service providers serving your communities',
  middleware: [guard('service:read')] as const,
  request: {
    query: z.strictObject({
      category: category.optional(),
      includeInactive: z.enum(['true', 'false']).optional(),
    }),
  },
  responses: {
    200: json(z.strictObject({ items: z.array(providerSchema) })),
    ...errorResponses(400, 401, 403),
  },
})
const createProvider = createRoute({
  method: 'post',
  path: '/services/providers',
  tags,
  summary: 'Register a provider for some communities (or the whole company)',
  middleware: [guard('service:manage')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        name: z.string().trim().min(2).max(80),
        category,
        communityIds: z.array(id).max(100).optional(),
        contactPhone,
      }),
    ),
  },
  responses: { 201: json(providerSchema, 'created'), ...errorResponses(400, 401, 403, 404, 409) },
})
const updateProvider = createRoute({
  method: 'patch',
  path: '/services/providers/{id}',
  tags,
  summary: 'Change a provider’s phone or switch it on or off',
  middleware: [guard('service:manage')] as const,
  request: {
    params: idParams,
    body: jsonBody(
      z
        .strictObject({ contactPhone: contactPhone.optional(), active: z.boolean().optional() })
        .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
    ),
  },
  responses: { 200: json(providerSchema), ...errorResponses(400, 401, 403, 404) },
})
const listOrders = createRoute({
  method: 'get',
  path: '/services/orders',
  tags,
  summary: 'Service orders in your scope, newest first',
  middleware: [guard('service:read')] as const,
  request: {
    query: z.strictObject({
      householdId: id.optional(),
      providerId: id.optional(),
      status: status.optional(),
      before: id.optional(),
      limit: z.coerce.number().int().min(1).max(200).optional(),
    }),
  },
  responses: { 200: json(z.strictObject({ items: z.array(orderSchema) })), ...errorResponses(400, 401, 403) },
})
const readOrder = createRoute({
  method: 'get',
  path: '/services/orders/{id}',
  tags,
  summary: 'Read a service order',
  middleware: [guard('service:read')] as const,
  request: { params: idParams },
  responses: { 200: json(orderSchema), ...errorResponses(401, 403, 404) },
})
const createOrder = createRoute({
  method: 'post',
  path: '/services/orders',
  tags,
  summary: 'Order a service for a household (residents: their own)',
  middleware: [guard('service:order')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        providerId: id,
        householdId: id.optional(),
        description: z.string().trim().min(2).max(500),
        scheduledAt: z.iso.datetime({ offset: true }),
        priceFen: z.number().int().min(0).max(10_000_000).optional(),
      }),
    ),
  },
  responses: { 201: json(orderSchema, 'created'), ...errorResponses(400, 401, 403, 404, 409) },
})
const transition = createRoute({
  method: 'post',
  path: '/services/orders/{id}/transition',
  tags,
  summary: 'Move an order: accepted, in_progress, completed (staff); cancelled (staff or the household)',
  middleware: [guard('service:order')] as const,
  request: {
    params: idParams,
    body: jsonBody(
      z.strictObject({ to: status, priceFen: z.number().int().min(0).max(10_000_000).optional() }),
    ),
  },
  responses: { 200: json(orderSchema), ...errorResponses(400, 401, 403, 404, 409) },
})
const rate = createRoute({
  method: 'post',
  path: '/services/orders/{id}/rate',
  tags,
  summary: 'Rate a completed order (the household, once)',
  middleware: [guard('service:order')] as const,
  request: {
    params: idParams,
    body: jsonBody(
      z.strictObject({
        rating: z.number().int().min(1).max(5),
        comment: z.string().trim().max(500).optional(),
      }),
    ),
  },
  responses: { 200: json(orderSchema), ...errorResponses(400, 401, 403, 404, 409) },
})

/** The third-party service routes, on the platform's database and audit writer. */
export function serviceRoutes(platform: Pick<Platform, 'db' | 'auditor'>) {
  const providers = new ProviderService(platform.db, platform.auditor)
  const orders = new OrderService(platform.db, providers, platform.auditor)
  return routeApp()
    .openapi(listProviders, async (c) => {
      const q = c.req.valid('query')
      return c.json(
        {
          items: await providers.list(authOf(c), {
            category: q.category,
            includeInactive: q.includeInactive === 'true',
          }),
        },
        200,
      )
    })
    .openapi(createProvider, async (c) =>
      c.json(await providers.create(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(updateProvider, async (c) =>
      c.json(
        await providers.update(authOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.requestId),
        200,
      ),
    )
    .openapi(listOrders, async (c) => {
      const q = c.req.valid('query')
      return c.json({ items: await orders.list(authOf(c), { ...q, limit: q.limit ?? 50 }) }, 200)
    })
    .openapi(readOrder, async (c) => c.json(await orders.get(authOf(c), c.req.valid('param').id), 200))
    .openapi(createOrder, async (c) =>
      c.json(await orders.create(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(transition, async (c) =>
      c.json(
        await orders.transition(authOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.requestId),
        200,
      ),
    )
    .openapi(rate, async (c) =>
      c.json(
        await orders.rate(authOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.requestId),
        200,
      ),
    )
}
