/**
 * Counts of a CommunitySet: what the CLI prints and what a quick look at a generated set needs. Kind counts are
 * listed in the order the types declare the kinds, so the output is stable.
 */
import type { BuildingKind, CommunitySet, DeviceKind, Profile } from './types.ts'

const BUILDING_KINDS: readonly BuildingKind[] = [
  'walkup',
  'tower',
  'clubhouse',
  'kindergarten',
  'pump_room',
  'gatehouse',
  'commercial',
]
const DEVICE_KINDS: readonly DeviceKind[] = [
  'electricity_meter',
  'water_meter',
  'elevator',
  'water_pump',
  'access_gate',
  'people_counter',
  'parking_barrier',
  'fire_panel',
  'smoke_detector',
  'env_sensor',
  'street_light',
]

export interface SetSummary {
  readonly communities: number
  readonly buildings: number
  readonly buildingsByKind: Readonly<Record<BuildingKind, number>>
  readonly units: number
  readonly households: number
  readonly occupiedHouseholds: number
  readonly residents: number
  readonly vehicles: number
  readonly gates: number
  readonly parkingLots: number
  readonly parkingSpaces: number
  readonly areas: number
  readonly roadNodes: number
  readonly roadEdges: number
  readonly devices: number
  readonly devicesByKind: Readonly<Record<DeviceKind, number>>
  readonly seed: number
  readonly profile: Profile
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>
}

/** Counts everything in `set`. */
export function summarize(set: CommunitySet): SetSummary {
  const buildingsByKind = zeroes(BUILDING_KINDS)
  const devicesByKind = zeroes(DEVICE_KINDS)
  let units = 0
  let households = 0
  let occupied = 0
  let residents = 0
  let vehicles = 0
  let gates = 0
  let lots = 0
  let spaces = 0
  let areas = 0
  let nodes = 0
  let edges = 0
  let buildings = 0
  let devices = 0
  for (const c of set.communities) {
    for (const b of c.buildings) buildingsByKind[b.kind]++
    for (const d of c.devices) devicesByKind[d.kind]++
    buildings += c.buildings.length
    devices += c.devices.length
    units += c.units.length
    households += c.households.length
    occupied += c.households.filter((h) => h.tenure !== 'vacant').length
    residents += c.residents.length
    vehicles += c.vehicles.length
    gates += c.gates.length
    lots += c.parkingLots.length
    spaces += c.parkingSpaces.length
    areas += c.areas.length
    nodes += c.roads.nodes.length
    edges += c.roads.edges.length
  }
  return {
    communities: set.communities.length,
    buildings,
    buildingsByKind,
    units,
    households,
    occupiedHouseholds: occupied,
    residents,
    vehicles,
    gates,
    parkingLots: lots,
    parkingSpaces: spaces,
    areas,
    roadNodes: nodes,
    roadEdges: edges,
    devices,
    devicesByKind,
    seed: set.seed,
    profile: set.profile,
  }
}
