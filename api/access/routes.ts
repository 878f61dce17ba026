/**
 * Access and visitor routes (all under `/access`):
 *
 * - credentials: `GET /access/credentials` (access:read), `POST /access/credentials`,
 *   `POST /access/credentials/{id}/revoke` (access:manage);
 * - visitor passes: `GET /access/passes`, `GET /access/passes/{id}` (access:read), `POST /access/passes`,
 *   `POST /access/passes/{id}/revoke` (visitor:invite — residents for their own household),
 *   `POST /access/passes/verify` (access:manage — the gate's check of a scanned QR token);
 * - deliveries: `GET /access/deliveries` (access:read), `POST /access/deliveries`,
 *   `POST /access/deliveries/{id}/collect|return` (access:manage);
 * - blocklist: `GET /access/blocklist` (access:read), `POST /access/blocklist`, `POST /access/blocklist/{id}/lift`
 *   (access:manage);
 * - events: `GET /access/events` (access:read) — gate and barrier events from the ingest and checks made here.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import { applyBarrier } from '../parking/sessions.ts'
import type { Platform } from '../platform.ts'
import { BlocklistService } from './blocklist.ts'
import { CredentialService } from './credentials.ts'
import { DeliveryService } from './deliveries.ts'
import { GateEventService } from './gate-events.ts'
import { PassService } from './passes.ts'
import {
  accessEventSchema,
  blockEntrySchema,
  credentialDetailSchema,
  deliverySchema,
  passSchema,
  verificationSchema,
} from './schemas.ts'

const id = z.string().min(1).max(64)
const idParams = z.strictObject({ id })
const limit = z.coerce.number().int().min(1).max(200).optional()
const dateTime = z.iso.datetime({ offset: true })
const phone = z.string().regex(/^\d{11}$/, 'an 11-digit mobile number')
const plate = z.string().trim().min(5).max(12)
const tags = ['access']
const items = <T extends z.ZodType>(schema: T) => json(z.strictObject({ items: z.array(schema) }))

const listCredentials = createRoute({
  method: 'get',
  path: '/access/credentials',
  tags,
  summary: 'Access credentials in your scope (secrets masked)',
  middleware: [guard('access:read')] as const,
  request: {
    query: z.strictObject({
      residentId: id.optional(),
      householdId: id.optional(),
      after: id.optional(),
      limit,
    }),
  },
  responses: { 200: items(credentialDetailSchema), ...errorResponses(400, 401, 403) },
})
const issueCredential = createRoute({
  method: 'post',
  path: '/access/credentials',
  tags,
  summary: 'Issue a card, PIN, QR or face credential (face needs consent: 409 consent_required)',
  middleware: [guard('access:manage')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        residentId: id,
        kind: z.enum(['card', 'qr', 'pin', 'face']),
        cardNumber: z
          .string()
          .regex(/^[0-9A-F]{8,20}$/i, 'hex or decimal card number')
          .optional(),
        pin: z
          .string()
          .regex(/^\d{6}$/, 'six digits')
          .optional(),
        faceTemplate: z.base64().max(65536).optional(),
        validUntil: dateTime.optional(),
      }),
    ),
  },
  responses: {
    201: json(
      credentialDetailSchema.extend({ secret: z.string().nullable() }),
      'issued; a QR token is shown this once',
    ),
    ...errorResponses(400, 401, 403, 404, 409),
  },
})
const revokeCredential = createRoute({
  method: 'post',
  path: '/access/credentials/{id}/revoke',
  tags,
  summary: 'Revoke a credential (lost card, moved out)',
  middleware: [guard('access:manage')] as const,
  request: {
    params: idParams,
    body: jsonBody(z.strictObject({ reason: z.string().trim().min(2).max(200) })),
  },
  responses: { 200: json(credentialDetailSchema), ...errorResponses(400, 401, 403, 404, 409) },
})

const listPasses = createRoute({
  method: 'get',
  path: '/access/passes',
  tags,
  summary: 'Visitor passes in your scope, newest first',
  middleware: [guard('access:read')] as const,
  request: { query: z.strictObject({ householdId: id.optional(), after: id.optional(), limit }) },
  responses: { 200: items(passSchema), ...errorResponses(400, 401, 403) },
})
const readPass = createRoute({
  method: 'get',
  path: '/access/passes/{id}',
  tags,
  summary: 'Read a visitor pass',
  middleware: [guard('access:read')] as const,
  request: { params: idParams },
  responses: { 200: json(passSchema), ...errorResponses(401, 403, 404) },
})
const createPass = createRoute({
  method: 'post',
  path: '/access/passes',
  tags,
  summary: 'Invite a visitor: a time-bound pass with a QR token (shown once)',
  middleware: [guard('visitor:invite')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        householdId: id.optional(),
        visitorName: z.string().trim().min(1).max(40),
        phone: phone.optional(),
        plate: plate.optional(),
        purpose: z.string().trim().min(1).max(200),
        validFrom: dateTime.optional(),
        validUntil: dateTime,
        maxEntries: z.number().int().min(1).max(20).optional(),
      }),
    ),
  },
  responses: {
    201: json(passSchema.extend({ token: z.string() }), 'created; the QR token is shown this once'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
})
const revokePass = createRoute({
  method: 'post',
  path: '/access/passes/{id}/revoke',
  tags,
  summary: 'Revoke a visitor pass',
  middleware: [guard('visitor:invite')] as const,
  request: { params: idParams },
  responses: { 200: json(passSchema), ...errorResponses(401, 403, 404, 409) },
})
const verifyPass = createRoute({
  method: 'post',
  path: '/access/passes/verify',
  tags,
  summary: 'Check a scanned visitor QR token at a gate (recorded as an access event)',
  middleware: [guard('access:manage')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        token: z.string().min(10).max(100),
        gateId: id,
        direction: z.enum(['in', 'out']).optional(),
      }),
    ),
  },
  responses: { 200: json(verificationSchema), ...errorResponses(400, 401, 403, 404) },
})

const listDeliveries = createRoute({
  method: 'get',
  path: '/access/deliveries',
  tags,
  summary: 'Parcels held at the gatehouse (a household sees its own pickup codes)',
  middleware: [guard('access:read')] as const,
  request: {
    query: z.strictObject({
      householdId: id.optional(),
      status: z.enum(['waiting', 'collected', 'returned']).optional(),
      after: id.optional(),
      limit,
    }),
  },
  responses: { 200: items(deliverySchema), ...errorResponses(400, 401, 403) },
})
const receiveDelivery = createRoute({
  method: 'post',
  path: '/access/deliveries',
  tags,
  summary: 'Record a parcel for a household (the pickup code is in the response)',
  middleware: [guard('access:manage')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        householdId: id,
        carrier: z.string().trim().min(1).max(40),
        parcels: z.number().int().min(1).max(100).optional(),
        note: z.string().trim().max(200).optional(),
      }),
    ),
  },
  responses: { 201: json(deliverySchema, 'received'), ...errorResponses(400, 401, 403, 404) },
})
const collectDelivery = createRoute({
  method: 'post',
  path: '/access/deliveries/{id}/collect',
  tags,
  summary: 'Hand a parcel over against its pickup code (400 wrong_code)',
  middleware: [guard('access:manage')] as const,
  request: { params: idParams, body: jsonBody(z.strictObject({ pickupCode: z.string().regex(/^\d{6}$/) })) },
  responses: { 200: json(deliverySchema), ...errorResponses(400, 401, 403, 404, 409) },
})
const returnDelivery = createRoute({
  method: 'post',
  path: '/access/deliveries/{id}/return',
  tags,
  summary: 'Return an uncollected parcel to the carrier',
  middleware: [guard('access:manage')] as const,
  request: { params: idParams },
  responses: { 200: json(deliverySchema), ...errorResponses(401, 403, 404, 409) },
})

const listBlocklist = createRoute({
  method: 'get',
  path: '/access/blocklist',
  tags,
  summary: 'The blocklist of your communities (phones masked)',
  middleware: [guard('access:read')] as const,
  request: {
    query: z.strictObject({
      communityId: id.optional(),
      includeLifted: z.enum(['true', 'false']).optional(),
      after: id.optional(),
      limit,
    }),
  },
  responses: { 200: items(blockEntrySchema), ...errorResponses(400, 401, 403) },
})
const addBlock = createRoute({
  method: 'post',
  path: '/access/blocklist',
  tags,
  summary: 'Block a person (by phone) or a vehicle (by plate) at the gates',
  middleware: [guard('access:manage')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        communityId: id,
        kind: z.enum(['person', 'vehicle']),
        name: z.string().trim().min(1).max(40).optional(),
        phone: phone.optional(),
        plate: plate.optional(),
        reason: z.string().trim().min(2).max(200),
      }),
    ),
  },
  responses: { 201: json(blockEntrySchema, 'added'), ...errorResponses(400, 401, 403, 404, 409) },
})
const liftBlock = createRoute({
  method: 'post',
  path: '/access/blocklist/{id}/lift',
  tags,
  summary: 'Lift a blocklist entry',
  middleware: [guard('access:manage')] as const,
  request: { params: idParams },
  responses: { 200: json(blockEntrySchema), ...errorResponses(401, 403, 404, 409) },
})

const listEvents = createRoute({
  method: 'get',
  path: '/access/events',
  tags,
  summary: 'Access events at gates and barriers, newest first',
  middleware: [guard('access:read')] as const,
  request: {
    query: z.strictObject({
      communityId: id.optional(),
      gateId: id.optional(),
      lotId: id.optional(),
      type: z.enum(['access.pass', 'vehicle.entry', 'vehicle.exit', 'visitor.verify']).optional(),
      before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
      limit,
    }),
  },
  responses: { 200: items(accessEventSchema), ...errorResponses(400, 401, 403) },
})

/** The access routes, on the platform's database, personal-data cipher and audit writer. */
export function accessRoutes(platform: Pick<Platform, 'db' | 'auditor' | 'pii'>) {
  const { db, auditor, pii } = platform
  const events = new GateEventService(db, applyBarrier)
  const credentials = new CredentialService(db, pii, auditor)
  const passes = new PassService(db, pii, auditor)
  const deliveries = new DeliveryService(db, pii, auditor)
  const blocklist = new BlocklistService(db, pii, auditor)
  return routeApp()
    .openapi(listCredentials, async (c) => {
      const q = c.req.valid('query')
      return c.json({ items: await credentials.list(authOf(c), { ...q, limit: q.limit ?? 50 }) }, 200)
    })
    .openapi(issueCredential, async (c) =>
      c.json(await credentials.issue(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(revokeCredential, async (c) =>
      c.json(
        await credentials.revoke(
          authOf(c),
          c.req.valid('param').id,
          c.req.valid('json').reason,
          c.var.requestId,
        ),
        200,
      ),
    )
    .openapi(listPasses, async (c) => {
      const q = c.req.valid('query')
      return c.json({ items: await passes.list(authOf(c), { ...q, limit: q.limit ?? 50 }) }, 200)
    })
    .openapi(readPass, async (c) => c.json(await passes.get(authOf(c), c.req.valid('param').id), 200))
    .openapi(createPass, async (c) => {
      c.header('Cache-Control', 'no-store')
      return c.json(await passes.create(authOf(c), c.req.valid('json'), c.var.requestId), 201)
    })
    .openapi(revokePass, async (c) =>
      c.json(await passes.revoke(authOf(c), c.req.valid('param').id, c.var.requestId), 200),
    )
    .openapi(verifyPass, async (c) =>
      c.json(await passes.verify(authOf(c), c.req.valid('json'), c.var.requestId), 200),
    )
    .openapi(listDeliveries, async (c) => {
      const q = c.req.valid('query')
      c.header('Cache-Control', 'no-store')
      return c.json({ items: await deliveries.list(authOf(c), { ...q, limit: q.limit ?? 50 }) }, 200)
    })
    .openapi(receiveDelivery, async (c) =>
      c.json(await deliveries.receive(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(collectDelivery, async (c) =>
      c.json(
        await deliveries.close(
          authOf(c),
          c.req.valid('param').id,
          'collected',
          c.req.valid('json').pickupCode,
          c.var.requestId,
        ),
        200,
      ),
    )
    .openapi(returnDelivery, async (c) =>
      c.json(
        await deliveries.close(authOf(c), c.req.valid('param').id, 'returned', undefined, c.var.requestId),
        200,
      ),
    )
    .openapi(listBlocklist, async (c) => {
      const q = c.req.valid('query')
      return c.json(
        {
          items: await blocklist.list(authOf(c), {
            communityId: q.communityId,
            after: q.after,
            includeLifted: q.includeLifted === 'true',
            limit: q.limit ?? 50,
          }),
        },
        200,
      )
    })
    .openapi(addBlock, async (c) =>
      c.json(await blocklist.add(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(liftBlock, async (c) =>
      c.json(await blocklist.lift(authOf(c), c.req.valid('param').id, c.var.requestId), 200),
    )
    .openapi(listEvents, async (c) => {
      const q = c.req.valid('query')
      return c.json({ items: await events.list(authOf(c), { ...q, limit: q.limit ?? 50 }) }, 200)
    })
}
