/**
 * Parking routes (all under `/parking`):
 *
 * - `GET /parking/lots`, `GET /parking/lots/{id}/occupancy`, `GET /parking/tariffs`, `GET /parking/sessions`,
 *   `GET /parking/sessions/{id}`, `GET /parking/permits` (parking:read);
 * - `PUT /parking/tariffs`, `POST /parking/events` (a passage entered by hand), `POST /parking/sessions/{id}/pay`,
 *   `POST /parking/permits`, `POST /parking/permits/{id}/cancel` (parking:manage).
 *
 * Barrier events from the ingest open and close sessions through api/access/gate-events.ts.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { errorResponses, json, jsonBody, routeApp } from '../http/openapi.ts'
import type { Platform } from '../platform.ts'
import { LotService } from './lots.ts'
import { PermitService } from './permits.ts'
import { SessionService } from './sessions.ts'

const id = z.string().min(1).max(64)
const idParams = z.strictObject({ id })
const limit = z.coerce.number().int().min(1).max(200).optional()
const fen = z.number().int().min(0).max(100_000_000)
const date = z.iso.date()
const tags = ['parking']
const items = <T extends z.ZodType>(schema: T) => json(z.strictObject({ items: z.array(schema) }))

export const lotSchema = z
  .strictObject({
    id: z.string(),
    communityId: z.string(),
    name: z.string(),
    kind: z.string(),
    level: z.number().int(),
    spaces: z.number().int(),
    occupied: z.number().int(),
    monthlyInside: z.number().int(),
    temporaryInside: z.number().int(),
    activePermits: z.number().int(),
    free: z.number().int(),
    rate: z.number(),
  })
  .openapi('ParkingLotOccupancy')
export const tariffSchema = z
  .strictObject({
    id: z.string(),
    communityId: z.string(),
    lotId: z.string().nullable(),
    freeMinutes: z.number().int(),
    hourlyFen: z.number().int(),
    dailyCapFen: z.number().int(),
    updatedAt: z.string(),
  })
  .openapi('ParkingTariff')
export const sessionSchema = z
  .strictObject({
    id: z.string(),
    communityId: z.string(),
    lotId: z.string(),
    plate: z.string(),
    kind: z.enum(['monthly', 'temporary']),
    permitId: z.string().nullable(),
    status: z.enum(['open', 'closed', 'abandoned']),
    enteredAt: z.string(),
    exitedAt: z.string().nullable(),
    feeFen: z.number().int().nullable(),
    paidAt: z.string().nullable(),
    source: z.enum(['barrier', 'manual']),
  })
  .openapi('ParkingSession')
export const permitSchema = z
  .strictObject({
    id: z.string(),
    communityId: z.string(),
    householdId: z.string(),
    vehicleId: z.string(),
    plate: z.string(),
    lotId: z.string(),
    spaceId: z.string().nullable(),
    startsOn: z.string(),
    endsOn: z.string(),
    feeFen: z.number().int(),
    status: z.enum(['active', 'cancelled']),
    createdAt: z.string(),
  })
  .openapi('ParkingPermit')

const listLots = createRoute({
  method: 'get',
  path: '/parking/lots',
  tags,
  summary: 'Parking lots of your communities with their occupancy',
  middleware: [guard('parking:read')] as const,
  request: { query: z.strictObject({ communityId: id.optional(), limit }) },
  responses: { 200: items(lotSchema), ...errorResponses(400, 401, 403) },
})
const occupancy = createRoute({
  method: 'get',
  path: '/parking/lots/{id}/occupancy',
  tags,
  summary: 'Occupancy of one lot',
  middleware: [guard('parking:read')] as const,
  request: { params: idParams },
  responses: { 200: json(lotSchema), ...errorResponses(401, 403, 404) },
})
const listTariffs = createRoute({
  method: 'get',
  path: '/parking/tariffs',
  tags,
  summary: 'Temporary-parking tariffs (per lot, or the community default)',
  middleware: [guard('parking:read')] as const,
  request: { query: z.strictObject({ communityId: id.optional() }) },
  responses: { 200: items(tariffSchema), ...errorResponses(400, 401, 403) },
})
const setTariff = createRoute({
  method: 'put',
  path: '/parking/tariffs',
  tags,
  summary: 'Set a lot’s tariff, or the community default without lotId (integer fen)',
  middleware: [guard('parking:manage')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        communityId: id,
        lotId: id.optional(),
        freeMinutes: z.number().int().min(0).max(1440),
        hourlyFen: fen,
        dailyCapFen: fen,
      }),
    ),
  },
  responses: { 200: json(tariffSchema), ...errorResponses(400, 401, 403, 404) },
})
const listSessions = createRoute({
  method: 'get',
  path: '/parking/sessions',
  tags,
  summary: 'Parking sessions, newest first (open temporary sessions show the fee so far)',
  middleware: [guard('parking:read')] as const,
  request: {
    query: z.strictObject({
      lotId: id.optional(),
      status: z.enum(['open', 'closed', 'abandoned']).optional(),
      plate: z.string().max(12).optional(),
      before: id.optional(),
      limit,
    }),
  },
  responses: { 200: items(sessionSchema), ...errorResponses(400, 401, 403) },
})
const readSession = createRoute({
  method: 'get',
  path: '/parking/sessions/{id}',
  tags,
  summary: 'Read a parking session',
  middleware: [guard('parking:read')] as const,
  request: { params: idParams },
  responses: { 200: json(sessionSchema), ...errorResponses(401, 403, 404) },
})
const manualEvent = createRoute({
  method: 'post',
  path: '/parking/events',
  tags,
  summary: 'Enter a barrier passage by hand (409 blocklisted, 409 no_open_session)',
  middleware: [guard('parking:manage')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        lotId: id,
        plate: z.string().trim().min(5).max(12),
        direction: z.enum(['in', 'out']),
        at: z.iso.datetime({ offset: true }).optional(),
      }),
    ),
  },
  responses: { 200: json(sessionSchema), ...errorResponses(400, 401, 403, 404, 409) },
})
const pay = createRoute({
  method: 'post',
  path: '/parking/sessions/{id}/pay',
  tags,
  summary: 'Take payment of a closed temporary session’s fee',
  middleware: [guard('parking:manage')] as const,
  request: { params: idParams },
  responses: { 200: json(sessionSchema), ...errorResponses(401, 403, 404, 409) },
})
const listPermits = createRoute({
  method: 'get',
  path: '/parking/permits',
  tags,
  summary: 'Monthly parking permits',
  middleware: [guard('parking:read')] as const,
  request: {
    query: z.strictObject({
      householdId: id.optional(),
      lotId: id.optional(),
      status: z.enum(['active', 'cancelled']).optional(),
      limit,
    }),
  },
  responses: { 200: items(permitSchema), ...errorResponses(400, 401, 403) },
})
const createPermit = createRoute({
  method: 'post',
  path: '/parking/permits',
  tags,
  summary: 'Grant a household’s vehicle monthly parking (409 space_taken)',
  middleware: [guard('parking:manage')] as const,
  request: {
    body: jsonBody(
      z.strictObject({
        vehicleId: id,
        lotId: id,
        spaceId: id.optional(),
        startsOn: date,
        endsOn: date,
        feeFen: fen,
      }),
    ),
  },
  responses: { 201: json(permitSchema, 'created'), ...errorResponses(400, 401, 403, 404, 409) },
})
const cancelPermit = createRoute({
  method: 'post',
  path: '/parking/permits/{id}/cancel',
  tags,
  summary: 'Cancel a permit',
  middleware: [guard('parking:manage')] as const,
  request: { params: idParams },
  responses: { 200: json(permitSchema), ...errorResponses(401, 403, 404, 409) },
})

/** The parking routes, on the platform's database and audit writer. */
export function parkingRoutes(platform: Pick<Platform, 'db' | 'auditor'>) {
  const lots = new LotService(platform.db, platform.auditor)
  const sessions = new SessionService(platform.db, platform.auditor)
  const permits = new PermitService(platform.db, platform.auditor)
  return routeApp()
    .openapi(listLots, async (c) => {
      const q = c.req.valid('query')
      return c.json({ items: await lots.list(authOf(c), { ...q, limit: q.limit ?? 50 }) }, 200)
    })
    .openapi(occupancy, async (c) => c.json(await lots.occupancy(authOf(c), c.req.valid('param').id), 200))
    .openapi(listTariffs, async (c) =>
      c.json({ items: await lots.tariffs(authOf(c), c.req.valid('query').communityId) }, 200),
    )
    .openapi(setTariff, async (c) =>
      c.json(await lots.setTariff(authOf(c), c.req.valid('json'), c.var.requestId), 200),
    )
    .openapi(listSessions, async (c) => {
      const q = c.req.valid('query')
      return c.json({ items: await sessions.list(authOf(c), { ...q, limit: q.limit ?? 50 }) }, 200)
    })
    .openapi(readSession, async (c) => c.json(await sessions.get(authOf(c), c.req.valid('param').id), 200))
    .openapi(manualEvent, async (c) =>
      c.json(await sessions.manual(authOf(c), c.req.valid('json'), c.var.requestId), 200),
    )
    .openapi(pay, async (c) =>
      c.json(await sessions.pay(authOf(c), c.req.valid('param').id, c.var.requestId), 200),
    )
    .openapi(listPermits, async (c) => {
      const q = c.req.valid('query')
      return c.json({ items: await permits.list(authOf(c), { ...q, limit: q.limit ?? 50 }) }, 200)
    })
    .openapi(createPermit, async (c) =>
      c.json(await permits.create(authOf(c), c.req.valid('json'), c.var.requestId), 201),
    )
    .openapi(cancelPermit, async (c) =>
      c.json(await permits.cancel(authOf(c), c.req.valid('param').id, c.var.requestId), 200),
    )
}
