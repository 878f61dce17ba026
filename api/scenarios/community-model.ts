/**
 * Reads a community's model (the shape twin/sim simulates: layout, road graph, gates, parking, units, households,
 * residents, vehicles) from PostgreSQL. Only what the simulator reads leaves the database: a resident is a
 * household, a birth date, an age group and an occupation; names, ID numbers, phones and plates stay behind
 * (their fields are left empty), so a community handed to a worker carries no personal data.
 */
import type { Community } from '../../data/community/types.ts'
import type { Sql } from '../../data/index.ts'

const COMMUNITY = `SELECT id, name, city, district, address, lat, lon, boundary, roads, built_year AS "builtYear"
  FROM communities WHERE id = $1 AND archived_at IS NULL`
const BUILDINGS = `SELECT id, community_id AS "communityId", name, kind, footprint, floors,
    basement_floors AS "basementFloors", height, floor_height AS "floorHeight", entrances,
    elevator_count AS "elevatorCount", built_year AS "builtYear"
  FROM buildings WHERE community_id = $1 AND archived_at IS NULL ORDER BY id`
const UNITS = `SELECT id, building_id AS "buildingId", entrance, floor, number, area::float8 AS area, bedrooms, usage
  FROM units WHERE community_id = $1 AND archived_at IS NULL ORDER BY id`
const HOUSEHOLDS = `SELECT id, unit_id AS "unitId", tenure, coalesce(move_in_date::text, '') AS "moveInDate"
  FROM households WHERE community_id = $1 AND archived_at IS NULL ORDER BY id`
const RESIDENTS = `SELECT id, household_id AS "householdId", to_char(birth_date, 'YYYY-MM-DD') AS "birthDate",
    age_group AS "ageGroup", occupation
  FROM residents WHERE community_id = $1 AND archived_at IS NULL ORDER BY id`
const VEHICLES = `SELECT id, household_id AS "householdId", energy, space_id AS "spaceId"
  FROM vehicles WHERE community_id = $1 AND archived_at IS NULL ORDER BY id`
const GATES = `SELECT id, community_id AS "communityId", name, kind, position, node_id AS "nodeId", lanes
  FROM gates WHERE community_id = $1 AND archived_at IS NULL ORDER BY id`
const LOTS = `SELECT id, community_id AS "communityId", name, kind, polygon, entrance_node_id AS "entranceNodeId", level
  FROM parking_lots WHERE community_id = $1 AND archived_at IS NULL ORDER BY id`
const SPACES = `SELECT id, lot_id AS "lotId", number, position, kind, tenure
  FROM parking_spaces WHERE community_id = $1 AND archived_at IS NULL ORDER BY id`
const AREAS = `SELECT id, community_id AS "communityId", name, kind, polygon
  FROM areas WHERE community_id = $1 AND archived_at IS NULL ORDER BY id`

type Row<T> = { -readonly [K in keyof T]: T[K] }

/** The community's model, or null when there is no such community. */
export async function loadCommunityModel(db: Sql, id: string): Promise<Community | null> {
  const [c] = await db.query<{
    id: string
    name: string
    city: string
    district: string
    address: string
    lat: number
    lon: number
    boundary: Community['boundary']
    roads: Community['roads'] | null
    builtYear: number
  }>(COMMUNITY, [id])
  if (!c) return null
  const [buildings, units, households, residents, vehicles, gates, parkingLots, parkingSpaces, areas] =
    await Promise.all([
      db.query<Row<Community['buildings'][number]>>(BUILDINGS, [id]),
      db.query<Row<Community['units'][number]>>(UNITS, [id]),
      db.query<Row<Community['households'][number]>>(HOUSEHOLDS, [id]),
      db.query<
        Pick<Community['residents'][number], 'id' | 'householdId' | 'birthDate' | 'ageGroup' | 'occupation'>
      >(RESIDENTS, [id]),
      db.query<Pick<Community['vehicles'][number], 'id' | 'householdId' | 'energy' | 'spaceId'>>(VEHICLES, [
        id,
      ]),
      db.query<Row<Community['gates'][number]>>(GATES, [id]),
      db.query<Row<Community['parkingLots'][number]>>(LOTS, [id]),
      db.query<Row<Community['parkingSpaces'][number]>>(SPACES, [id]),
      db.query<Row<Community['areas'][number]>>(AREAS, [id]),
    ])
  return {
    id: c.id,
    name: c.name,
    city: c.city,
    district: c.district,
    address: c.address,
    anchor: { lat: c.lat, lon: c.lon },
    boundary: c.boundary,
    builtYear: c.builtYear,
    buildings,
    units,
    households,
    // The simulator never reads who a person is: those fields stay empty.
    residents: residents.map((r) => ({
      ...r,
      name: '',
      gender: 'F',
      idNumber: '',
      phone: null,
      relation: 'other',
    })),
    vehicles: vehicles.map((v) => ({ ...v, plate: '' })),
    roads: c.roads ?? { nodes: [], edges: [] },
    gates,
    parkingLots,
    parkingSpaces,
    areas,
    devices: [],
  }
}
