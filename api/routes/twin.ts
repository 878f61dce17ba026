/**
 * Scene data for the 3D twin: a community's layout and device positions, read from PostgreSQL. No personal
 * data: units, households and residents are not part of the scene (the wall screen is a public display).
 *
 * - `GET /api/v1/twin/communities` — id, name, city and geo anchor of every community.
 * - `GET /api/v1/twin/communities/:id/scene` — boundary, buildings, roads, areas, gates, parking lots (with space
 *   counts) and devices (id, kind, position, building), in the community's local metre frame.
 */
import { Hono } from 'hono'
import type { Postgres } from '../../data/index.ts'
import { notFound } from '../http/errors.ts'

const COMMUNITIES = `SELECT id, name, city, district, lat, lon FROM communities WHERE archived_at IS NULL ORDER BY id`
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

/** The twin's scene routes. */
export function twinRoutes(db: Postgres): Hono {
  return new Hono()
    .get('/twin/communities', async (c) => c.json({ communities: await db.query(COMMUNITIES) }))
    .get('/twin/communities/:id/scene', async (c) => {
      const id = c.req.param('id')
      const [community] = await db.query(COMMUNITY, [id])
      if (!community) throw notFound('community')
      const [buildings, areas, gates, parkingLots, devices] = await Promise.all([
        db.query(BUILDINGS, [id]),
        db.query(AREAS, [id]),
        db.query(GATES, [id]),
        db.query(LOTS, [id]),
        db.query(DEVICES, [id]),
      ])
      c.header('Cache-Control', 'private, max-age=60')
      return c.json({ community, buildings, areas, gates, parkingLots, devices })
    })
}
