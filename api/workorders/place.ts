/**
 * Where an operations object sits (a work order, a complaint): resolved from the most specific id a caller gives
 * — household, unit, building or community — plus an optional device, with the scope ids always taken from the
 * records, never from the body. Mixed ids must agree (a device in another building is a 400).
 */
import type { Sql } from '../../data/index.ts'
import { badRequest, notFound } from '../http/errors.ts'

export interface PlaceIds {
  readonly communityId?: string | undefined
  readonly buildingId?: string | undefined
  readonly unitId?: string | undefined
  readonly householdId?: string | undefined
  readonly deviceId?: string | undefined
}

export interface Place {
  readonly companyId: string
  readonly communityId: string
  readonly buildingId: string | null
  readonly unitId: string | null
  readonly householdId: string | null
  readonly deviceId: string | null
  /** The device's kind, when a device was given. */
  readonly deviceKind: string | null
}

type Row = { company_id: string; community_id: string; building_id: string | null; unit_id: string | null }

const HOUSEHOLD = `SELECT c.company_id, h.community_id, h.building_id, h.unit_id FROM households h
  JOIN communities c ON c.id = h.community_id WHERE h.id = $1 AND h.archived_at IS NULL`
const UNIT = `SELECT c.company_id, u.community_id, u.building_id, u.id AS unit_id FROM units u
  JOIN communities c ON c.id = u.community_id WHERE u.id = $1 AND u.archived_at IS NULL`
const BUILDING = `SELECT c.company_id, b.community_id, b.id AS building_id, NULL AS unit_id FROM buildings b
  JOIN communities c ON c.id = b.community_id WHERE b.id = $1 AND b.archived_at IS NULL`
const COMMUNITY = `SELECT company_id, id AS community_id, NULL AS building_id, NULL AS unit_id FROM communities
  WHERE id = $1 AND archived_at IS NULL`
const DEVICE = `SELECT c.company_id, d.community_id, d.building_id, d.unit_id, d.kind FROM devices d
  JOIN communities c ON c.id = d.community_id WHERE d.id = $1 AND d.archived_at IS NULL`

async function one(tx: Sql, sql: string, id: string, what: string): Promise<Row & { kind?: string }> {
  const [row] = await tx.query<Row & { kind?: string }>(sql, [id])
  if (!row) throw notFound(what)
  return row
}

/** Resolves the place of `ids` (404 for an id that does not exist). At least one id is needed. */
export async function resolvePlace(tx: Sql, ids: PlaceIds): Promise<Place> {
  let base: Row | null = null
  let householdId: string | null = null
  if (ids.householdId) {
    base = await one(tx, HOUSEHOLD, ids.householdId, 'household')
    householdId = ids.householdId
  } else if (ids.unitId) base = await one(tx, UNIT, ids.unitId, 'unit')
  else if (ids.buildingId) base = await one(tx, BUILDING, ids.buildingId, 'building')
  else if (ids.communityId) base = await one(tx, COMMUNITY, ids.communityId, 'community')
  const agree = (row: Row, given: string | undefined, key: keyof Row, what: string) => {
    if (given && row[key] !== given) throw badRequest(`${what} does not belong to the given place`)
  }
  if (base) {
    agree(base, ids.communityId, 'community_id', 'the community')
    agree(base, ids.buildingId, 'building_id', 'the building')
    agree(base, ids.unitId, 'unit_id', 'the unit')
  }
  if (!ids.deviceId) {
    if (!base) throw badRequest('give a household, unit, building, community or device')
    return { ...placeOf(base), householdId, deviceId: null, deviceKind: null }
  }
  const device = await one(tx, DEVICE, ids.deviceId, 'device')
  if (!base)
    return { ...placeOf(device), householdId: null, deviceId: ids.deviceId, deviceKind: device.kind ?? null }
  if (device.community_id !== base.community_id) throw badRequest('the device is in another community')
  if (device.building_id && base.building_id && device.building_id !== base.building_id)
    throw badRequest('the device is in another building')
  // The device narrows a community-level place down to its building (and unit).
  return {
    ...placeOf(base),
    buildingId: base.building_id ?? device.building_id,
    unitId: base.unit_id ?? device.unit_id,
    householdId,
    deviceId: ids.deviceId,
    deviceKind: device.kind ?? null,
  }
}

function placeOf(row: Row) {
  return {
    companyId: row.company_id,
    communityId: row.community_id,
    buildingId: row.building_id,
    unitId: row.unit_id,
  }
}

/** The skill (and category) a device kind's repairs need. */
export function skillOfDeviceKind(kind: string | null): string {
  switch (kind ?? '') {
    case 'elevator':
      return 'elevator'
    case 'water_pump':
      return 'pump'
    case 'water_meter':
      return 'plumbing'
    case 'fire_panel':
    case 'smoke_detector':
      return 'fire'
    case 'access_gate':
    case 'parking_barrier':
    case 'people_counter':
      return 'access'
    case 'electricity_meter':
    case 'street_light':
    case 'env_sensor':
      return 'electrical'
    default:
      return 'general'
  }
}
