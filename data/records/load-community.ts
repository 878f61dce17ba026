/**
 * Loads a generated community set into PostgreSQL on first start: one transaction, idempotent (a set already
 * loaded is recognised by its fingerprint and skipped). Personal data is encrypted on the way in; the plaintext
 * ID and phone numbers of the generated residents never reach the database.
 */
import { createHash } from 'node:crypto'
import type { Community, CommunitySet } from '../community/types.ts'
import type { PiiCipher } from '../pii/cipher.ts'
import type { Postgres, Sql } from '../postgres/types.ts'
import { insertRows } from './insert-rows.ts'

export type LoadResult =
  | {
      readonly loaded: true
      readonly communities: number
      readonly residents: number
      readonly devices: number
    }
  | {
      readonly loaded: false
      readonly reason: 'already-loaded' | 'other-set-loaded'
      readonly detail: string
    }

/** A stable fingerprint of the set's content. */
export function fingerprintSet(set: CommunitySet): string {
  return createHash('sha256').update(JSON.stringify(set)).digest('hex')
}

const json = (value: unknown) => JSON.stringify(value)

async function insertCommunity(tx: Sql, pii: PiiCipher, companyId: string, c: Community): Promise<void> {
  await insertRows(
    tx,
    'communities',
    [
      'id',
      'company_id',
      'name',
      'city',
      'district',
      'address',
      'lat',
      'lon',
      'boundary',
      'roads',
      'built_year',
    ],
    [
      [
        c.id,
        companyId,
        c.name,
        c.city,
        c.district,
        c.address,
        c.anchor.lat,
        c.anchor.lon,
        json(c.boundary),
        json(c.roads),
        c.builtYear,
      ],
    ],
  )
  await insertRows(
    tx,
    'buildings',
    [
      'id',
      'community_id',
      'name',
      'kind',
      'footprint',
      'floors',
      'basement_floors',
      'height',
      'floor_height',
      'entrances',
      'elevator_count',
      'built_year',
    ],
    c.buildings.map((b) => [
      b.id,
      c.id,
      b.name,
      b.kind,
      json(b.footprint),
      b.floors,
      b.basementFloors,
      b.height,
      b.floorHeight,
      b.entrances,
      b.elevatorCount,
      b.builtYear,
    ]),
  )
  await insertRows(
    tx,
    'units',
    ['id', 'building_id', 'community_id', 'entrance', 'floor', 'number', 'area', 'bedrooms', 'usage'],
    c.units.map((u) => [
      u.id,
      u.buildingId,
      c.id,
      u.entrance,
      u.floor,
      u.number,
      u.area,
      u.bedrooms,
      u.usage,
    ]),
  )
  const buildingOfUnit = new Map(c.units.map((u) => [u.id, u.buildingId]))
  const householdBuilding = new Map<string, string>()
  await insertRows(
    tx,
    'households',
    ['id', 'unit_id', 'building_id', 'community_id', 'tenure', 'move_in_date'],
    c.households.map((h) => {
      const buildingId = buildingOfUnit.get(h.unitId) ?? ''
      householdBuilding.set(h.id, buildingId)
      return [h.id, h.unitId, buildingId, c.id, h.tenure, h.moveInDate]
    }),
  )
  await insertRows(
    tx,
    'residents',
    [
      'id',
      'household_id',
      'building_id',
      'community_id',
      'name',
      'gender',
      'birth_date',
      'id_number_enc',
      'id_number_hash',
      'phone_enc',
      'phone_hash',
      'relation',
      'age_group',
      'occupation',
    ],
    c.residents.map((r) => [
      r.id,
      r.householdId,
      householdBuilding.get(r.householdId) ?? '',
      c.id,
      r.name,
      r.gender,
      r.birthDate,
      pii.encrypt(r.idNumber),
      pii.lookupHash(r.idNumber),
      r.phone === null ? null : pii.encrypt(r.phone),
      r.phone === null ? null : pii.lookupHash(r.phone),
      r.relation,
      r.ageGroup,
      r.occupation,
    ]),
  )
  await insertRows(
    tx,
    'parking_lots',
    ['id', 'community_id', 'name', 'kind', 'polygon', 'entrance_node_id', 'level'],
    c.parkingLots.map((l) => [l.id, c.id, l.name, l.kind, json(l.polygon), l.entranceNodeId, l.level]),
  )
  await insertRows(
    tx,
    'parking_spaces',
    ['id', 'lot_id', 'community_id', 'number', 'position', 'kind', 'tenure'],
    c.parkingSpaces.map((s) => [s.id, s.lotId, c.id, s.number, json(s.position), s.kind, s.tenure]),
  )
  await insertRows(
    tx,
    'vehicles',
    ['id', 'household_id', 'community_id', 'plate', 'energy', 'space_id'],
    c.vehicles.map((v) => [v.id, v.householdId, c.id, v.plate, v.energy, v.spaceId]),
  )
  await insertRows(
    tx,
    'gates',
    ['id', 'community_id', 'name', 'kind', 'position', 'node_id', 'lanes'],
    c.gates.map((g) => [g.id, c.id, g.name, g.kind, json(g.position), g.nodeId, g.lanes]),
  )
  await insertRows(
    tx,
    'areas',
    ['id', 'community_id', 'name', 'kind', 'polygon'],
    c.areas.map((a) => [a.id, c.id, a.name, a.kind, json(a.polygon)]),
  )
  await insertRows(
    tx,
    'devices',
    [
      'id',
      'community_id',
      'kind',
      'model',
      'install_date',
      'x',
      'y',
      'z',
      'building_id',
      'unit_id',
      'gate_id',
      'lot_id',
      'public',
      'spec',
    ],
    c.devices.map((d) => [
      d.id,
      c.id,
      d.kind,
      d.model,
      d.installDate,
      d.position[0],
      d.position[1],
      d.position[2],
      d.buildingId,
      d.unitId,
      d.gateId,
      d.lotId,
      d.public,
      json(d.spec),
    ]),
  )
}

/** Loads `set` unless it (or another set for the same company) is already there. */
export async function loadCommunitySet(db: Postgres, pii: PiiCipher, set: CommunitySet): Promise<LoadResult> {
  const fingerprint = fingerprintSet(set)
  return db.transaction(async (tx) => {
    // Serialise concurrent first starts on a server: the second waits, then sees the first one's load.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [727_411_002])
    const [existing] = await tx.query<{ fingerprint: string; profile: string; seed: number }>(
      'SELECT fingerprint, profile, seed FROM community_loads WHERE company_id = $1',
      [set.company.id],
    )
    if (existing) {
      return existing.fingerprint === fingerprint
        ? { loaded: false, reason: 'already-loaded', detail: `${existing.profile} seed ${existing.seed}` }
        : { loaded: false, reason: 'other-set-loaded', detail: `${existing.profile} seed ${existing.seed}` }
    }
    await tx.query('INSERT INTO companies (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
      set.company.id,
      set.company.name,
    ])
    let residents = 0
    let devices = 0
    for (const community of set.communities) {
      await insertCommunity(tx, pii, set.company.id, community)
      residents += community.residents.length
      devices += community.devices.length
    }
    await tx.query(
      'INSERT INTO community_loads (company_id, profile, seed, fingerprint) VALUES ($1, $2, $3, $4)',
      [set.company.id, set.profile, set.seed, fingerprint],
    )
    return { loaded: true, communities: set.communities.length, residents, devices }
  })
}
