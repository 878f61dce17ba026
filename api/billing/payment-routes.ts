/**
 * Billing routes, part two — the money:
 *
 * - `GET /fees/bills`, `GET /fees/bills/{id}` (fee:read) — bills in scope (a resident: their household's);
 * - `POST /fees/bills/{id}/payments` (fee:manage) — a payment at the counter;
 * - `POST /fees/bills/{id}/orders` (fee:pay) — an online payment order through a gateway;
 * - `POST /fees/gateways/{gateway}/callback` (public: authenticated by the gateway's signature) — payment notices;
 * - `GET /fees/payments/{id}/receipt` (fee:read) — the receipt with its audit inclusion proof;
 * - `POST /fees/payments/{id}/refunds`, `POST /fees/bills/{id}/waivers` (fee:manage);
 * - `GET /fees/arrears` (fee:read), `POST /fees/reminders` (fee:manage) — arrears and reminders;
 * - `GET /fees/collection` (fee:read) — collection rate by community, building or month.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import { authOf, type AppEnv } from '../auth/context.ts'
import { guard, publicRoute } from '../auth/policy.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import type { Billing } from './billing.ts'
import {
  arrear,
  bill,
  billDetail,
  callbackAck,
  collectionRow,
  counterPaymentInput,
  idParams,
  idText,
  order,
  orderInput,
  payment,
  period,
  receipt,
  refund,
  refundInput,
  remindInput,
  remindResult,
  waiverInput,
} from './schemas.ts'

const tags = ['fees']
const read = () => [guard('fee:read')]
const manage = () => [guard('fee:manage')]

/** Reads the body as text before validation, so the handler sees the exact bytes the gateway signed. */
const rawBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  await c.req.text()
  await next()
}

const listBills = createRoute({
  method: 'get',
  path: '/fees/bills',
  tags,
  summary: 'Bills in your scope, by id (keyset pages)',
  middleware: read(),
  request: {
    query: z.strictObject({
      communityId: idText.optional(),
      cycleId: idText.optional(),
      buildingId: idText.optional(),
      householdId: idText.optional(),
      period: period.optional(),
      outstanding: z.enum(['true', 'false']).optional(),
      after: idText.optional(),
      limit: z.coerce.number().int().min(1).max(1000).optional(),
    }),
  },
  responses: {
    200: json(z.strictObject({ items: z.array(bill), next: z.string().nullable() })),
    ...errorResponses(400, 401, 403),
  },
})

const getBill = createRoute({
  method: 'get',
  path: '/fees/bills/{id}',
  tags,
  summary: 'A bill with its lines, payments and waivers',
  middleware: read(),
  request: { params: idParams },
  responses: { 200: json(billDetail), ...errorResponses(401, 403, 404) },
})

const payAtCounter = createRoute({
  method: 'post',
  path: '/fees/bills/{id}/payments',
  tags,
  summary: 'Record a payment taken at the counter',
  middleware: manage(),
  request: { params: idParams, body: jsonBody(counterPaymentInput) },
  responses: { 201: json(payment, 'recorded'), ...errorResponses(400, 401, 403, 404, 409) },
})

const createOrder = createRoute({
  method: 'post',
  path: '/fees/bills/{id}/orders',
  tags,
  summary: 'Open an online payment order for a bill through a gateway',
  middleware: [guard('fee:pay')] as const,
  request: { params: idParams, body: jsonBody(orderInput) },
  responses: { 201: json(order, 'created'), ...errorResponses(400, 401, 403, 404, 409) },
})

const callback = createRoute({
  method: 'post',
  path: '/fees/gateways/{gateway}/callback',
  tags,
  summary: "A gateway's payment notice, verified by its signature; a repeated notice records nothing new",
  middleware: [publicRoute(), rawBody] as const,
  request: {
    params: z.strictObject({ gateway: z.string().regex(/^[a-z0-9_-]{1,32}$/) }),
    body: jsonBody(z.record(z.string(), z.unknown()).openapi({ description: "the gateway's signed notice" })),
  },
  responses: { 200: json(callbackAck), ...errorResponses(400, 401, 404, 409) },
})

const getReceipt = createRoute({
  method: 'get',
  path: '/fees/payments/{id}/receipt',
  tags,
  summary: "A payment's receipt with the audit log's inclusion proof of its record",
  middleware: read(),
  request: { params: idParams },
  responses: { 200: json(receipt), ...errorResponses(401, 403, 404, 409) },
})

const refundPayment = createRoute({
  method: 'post',
  path: '/fees/payments/{id}/refunds',
  tags,
  summary: 'Refund (part of) a payment; `waive` also waives the amount (an overcharge)',
  middleware: manage(),
  request: { params: idParams, body: jsonBody(refundInput) },
  responses: { 201: json(refund, 'refunded'), ...errorResponses(400, 401, 403, 404, 409) },
})

const waive = createRoute({
  method: 'post',
  path: '/fees/bills/{id}/waivers',
  tags,
  summary: 'Waive part of what a bill owes',
  middleware: manage(),
  request: { params: idParams, body: jsonBody(waiverInput) },
  responses: { 201: json(bill, 'waived'), ...errorResponses(400, 401, 403, 404, 409) },
})

const arrears = createRoute({
  method: 'get',
  path: '/fees/arrears',
  tags,
  summary: 'Households in arrears in your scope, most owed first',
  middleware: read(),
  request: {
    query: z.strictObject({
      communityId: idText,
      buildingId: idText.optional(),
      minDaysOverdue: z.coerce.number().int().min(-366).max(3650).optional(),
      limit: z.coerce.number().int().min(1).max(5000).optional(),
    }),
  },
  responses: { 200: json(z.strictObject({ items: z.array(arrear) })), ...errorResponses(400, 401, 403, 404) },
})

const remind = createRoute({
  method: 'post',
  path: '/fees/reminders',
  tags,
  summary: 'Remind every household in arrears (in your scope) through SMS or WeChat',
  middleware: manage(),
  request: { body: jsonBody(remindInput) },
  responses: { 200: json(remindResult), ...errorResponses(400, 401, 403, 404) },
})

const collection = createRoute({
  method: 'get',
  path: '/fees/collection',
  tags,
  summary: 'Collection rate (paid ÷ billed) of the bills in your scope, in total or by building or month',
  middleware: read(),
  request: {
    query: z.strictObject({
      communityId: idText,
      groupBy: z.enum(['community', 'building', 'month']).optional(),
      from: period.optional(),
      to: period.optional(),
    }),
  },
  responses: {
    200: json(z.strictObject({ rows: z.array(collectionRow) })),
    ...errorResponses(400, 401, 403, 404),
  },
})

/** The money routes. */
export function paymentRoutes(billing: Billing) {
  return routeApp()
    .openapi(listBills, async (c) => {
      const q = c.req.valid('query')
      const page = await billing.bills.list(authOf(c), {
        ...q,
        outstanding: q.outstanding === undefined ? undefined : q.outstanding === 'true',
        limit: q.limit ?? 100,
      })
      return c.json(page, 200)
    })
    .openapi(getBill, async (c) => c.json(await billing.bills.get(authOf(c), c.req.valid('param').id), 200))
    .openapi(payAtCounter, async (c) =>
      c.json(
        await billing.payments.payAtCounter(
          authOf(c),
          c.req.valid('param').id,
          c.req.valid('json'),
          c.var.requestId,
        ),
        201,
      ),
    )
    .openapi(createOrder, async (c) =>
      c.json(
        await billing.payments.createOrder(
          authOf(c),
          c.req.valid('param').id,
          c.req.valid('json'),
          c.var.requestId,
        ),
        201,
      ),
    )
    .openapi(callback, async (c) => {
      const result = await billing.payments.handleCallback(
        c.req.valid('param').gateway,
        await c.req.text(),
        (name) => c.req.header(name),
        c.var.requestId,
      )
      return c.json(result, 200)
    })
    .openapi(getReceipt, async (c) =>
      c.json(await billing.receipts.receipt(authOf(c), c.req.valid('param').id), 200),
    )
    .openapi(refundPayment, async (c) =>
      c.json(
        await billing.refunds.refund(
          authOf(c),
          c.req.valid('param').id,
          c.req.valid('json'),
          c.var.requestId,
        ),
        201,
      ),
    )
    .openapi(waive, async (c) =>
      c.json(
        await billing.bills.waive(authOf(c), c.req.valid('param').id, c.req.valid('json'), c.var.requestId),
        201,
      ),
    )
    .openapi(arrears, async (c) => {
      const q = c.req.valid('query')
      return c.json(
        { items: await billing.reminders.arrears(authOf(c), { ...q, limit: q.limit ?? 500 }) },
        200,
      )
    })
    .openapi(remind, async (c) =>
      c.json(await billing.reminders.remind(authOf(c), c.req.valid('json'), c.var.requestId), 200),
    )
    .openapi(collection, async (c) => {
      const q = c.req.valid('query')
      return c.json(
        { rows: await billing.collection.rate(authOf(c), { ...q, groupBy: q.groupBy ?? 'community' }) },
        200,
      )
    })
}
