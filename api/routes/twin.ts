/**
 * Scene data for the 3D twin: a community's layout and device positions, read from PostgreSQL. No personal
 * data: units, households and residents are not part of the scene (the wall screen is a public display).
 * Guarded by `twin:read` (the wall-screen account and staff roles) and scoped to the caller's communities.
 *
 * - `GET /api/v1/twin/communities` — id, name, city and geo anchor of every community in scope.
 * - `GET /api/v1/twin/communities/:id/scene` — boundary, buildings, roads, areas, gates, parking lots (with space
 *   counts) and devices (id, kind, position, building), in the community's local metre frame.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Postgres } from '../../data/index.ts'
import { authOf } from '../auth/context.ts'
import { guard } from '../auth/policy.ts'
import { errorResponses, json, routeApp } from '../http/openapi.ts'
import { notFound } from '../http/errors.ts'

const COMMUNITIES = `SELECT id, name, city, district, lat, lon FROM communities
  WHERE archived_at IS NULL AND id = ANY($1::text[]) ORDER BY id`
const COMMUNITY = `SELECT id, name, city, district, lat, lon, boundary, roads, built_year AS "builtYear"
  FROM communities WHERE id = $1 AND archived_at IS NULL`
const BUILDINGS = `SELECT id, name, kind, footprint, floors, basement_floors AS "basementFloors", height,
    floor_height AS "floorHeight", entrances, elevator_count AS "elevatorCount"
  FROM buildings WHERE community_id = $1 AND archived_at IS NULL ORDER BY id`
const AREAS = `SELECT id, name, kind, polygon FROM areas WHERE community_id = $1 AND archived_at IS NULL ORDER BY id`
const GATES = `SELECT id, name, kind, position, lanes FROM gates WHERE community_id = $1 AND archived_at IS NULL ORDER BY id`
const LOTS = `SELECT l.id, l.name, l.kind, l.polygon, l.level, count(s.id)::int AS spaces
  FROM parking_lots l LEFT JOIN parking_spaces s ON s.lot_id = l.id AND s.archived_at IS NULL
  WHERE l.community_id = $1 AND l.archived_at IS NULL GROUP BY l.id ORDER BY l.id`
const DEVICES = `SELECT id, kind, x, y, z, building_id AS "buildingId", public
  FROM devices WHERE community_id = $1 AND archived_at IS NULL ORDER BY kind, id`

const communitySummary = z.strictObject({
  id: z.string(),
  name: z.string(),
  city: z.string(),
  district: z.string(),
  lat: z.number(),
  lon: z.number(),
})

const list = createRoute({
  method: 'get',
  path: '/twin/communities',
  tags: ['twin'],
  summary: 'Communities in scope, for the wall screen (no personal data)',
  middleware: [guard('twin:read')] as const,
  responses: {
    200: json(z.strictObject({ communities: z.array(communitySummary) })),
    ...errorResponses(401, 403),
  },
})

const scene = createRoute({
  method: 'get',
  path: '/twin/communities/{id}/scene',
  tags: ['twin'],
  summary: 'The 3D scene of a community: layout and device positions (no personal data)',
  middleware: [guard('twin:read')] as const,
  request: { params: z.strictObject({ id: z.string().min(1).max(64) }) },
  responses: {
    200: json(
      z.strictObject({
        community: z.record(z.string(), z.unknown()),
        buildings: z.array(z.record(z.string(), z.unknown())),
        areas: z.array(z.record(z.string(), z.unknown())),
        gates: z.array(z.record(z.string(), z.unknown())),
        parkingLots: z.array(z.record(z.string(), z.unknown())),
        devices: z.array(z.record(z.string(), z.unknown())),
      }),
    ),
    ...errorResponses(401, 403, 404),
  },
})

/** The twin's scene routes. */
export function twinRoutes(db: Postgres) {
  return routeApp()
    .openapi(list, async (c) => {
      const communities = await db.query<z.infer<typeof communitySummary>>(COMMUNITIES, [
        [...authOf(c).scope.communityIds],
      ])
      return c.json({ communities }, 200)
    })
    .openapi(scene, async (c) => {
      const id = c.req.valid('param').id
      if (!authOf(c).scope.communityIds.has(id)) throw notFound('community')
      const [community] = await db.query<Record<string, unknown>>(COMMUNITY, [id])
      if (!community) throw notFound('community')
      const [buildings, areas, gates, parkingLots, devices] = await Promise.all([
        db.query<Record<string, unknown>>(BUILDINGS, [id]),
        db.query<Record<string, unknown>>(AREAS, [id]),
        db.query<Record<string, unknown>>(GATES, [id]),
        db.query<Record<string, unknown>>(LOTS, [id]),
        db.query<Record<string, unknown>>(DEVICES, [id]),
      ])
      c.header('Cache-Control', 'private, max-age=60')
      return c.json({ community, buildings, areas, gates, parkingLots, devices }, 200)
    })
}
