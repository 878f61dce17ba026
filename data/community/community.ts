/**
 * Builds one community from its plan: site layout, road graph, units, parking, open areas, households and
 * residents, vehicles, devices; then moves it to the anchor frame. Each concern draws from its own forked random
 * stream, so changing one (say, more sensors per area) leaves every other part of the output unchanged.
 */
import type { Building, Community, Gate, Unit } from './types.ts'
import type { Rng } from './rng.ts'
import type { CommunityPlan } from './profiles.ts'
import type { Registries } from './persons.ts'
import type { PlateRegistry } from './contacts.ts'
import type { SiteBuilding } from './site.ts'
import type { PlacedUnit } from './units.ts'
import { rectPolygon, rectsOverlap } from './geometry.ts'
import { layoutSite } from './layout.ts'
import { buildRoadGraph } from './roads.ts'
import { buildUnits } from './units.ts'
import { planParking } from './parking.ts'
import { HOUSEHOLDS_PER_WASTE_POINT, fillBands, finishAreas } from './areas.ts'
import { populate } from './households.ts'
import { assignVehicles } from './vehicles.ts'
import { buildingDevices } from './devices-building.ts'
import { siteDevices } from './devices-site.ts'
import { shiftCommunity } from './frame.ts'

export interface SetRegistries extends Registries {
  readonly plates: PlateRegistry
}

function servedBy(
  room: SiteBuilding,
  byId: ReadonlyMap<string, SiteBuilding>,
  unitsByBuilding: ReadonlyMap<string, PlacedUnit[]>,
) {
  let households = 0
  let height = 0
  for (const id of room.serves) {
    const b = byId.get(id) as SiteBuilding
    households += (unitsByBuilding.get(id) ?? []).filter((u) => u.unit.usage === 'residential').length
    height = Math.max(height, b.height)
  }
  return { households, height }
}

/** Generates one community. Registries are shared across the set, so phones, plates and ID numbers stay unique. */
export function buildCommunity(rng: Rng, plan: CommunityPlan, registries: SetRegistries): Community {
  const cid = plan.id
  const site = layoutSite(rng.fork('site'), plan)
  const network = buildRoadGraph(site.roads, cid)
  const placedUnits = buildUnits(site.buildings)
  const units: Unit[] = placedUnits.map((p) => p.unit)
  const homes = units.filter((u) => u.usage === 'residential').length

  const parking = planParking(rng.fork('parking'), site, homes, network, cid)
  for (const b of site.buildings) {
    if (b.kind === 'tower' && rectsOverlap(b.rect, parking.garage)) b.basementFloors = parking.levels
  }

  const wastePoints = Math.max(0, Math.ceil(homes / HOUSEHOLDS_PER_WASTE_POINT) - 1)
  const areas = finishAreas([...site.areas, ...fillBands(rng.fork('areas'), site, wastePoints)], cid)

  const byId = new Map(site.buildings.map((b) => [b.id, b]))
  const { households, residents } = populate(rng.fork('people'), plan, units, byId, registries)
  const vehicles = assignVehicles(
    rng.fork('vehicles'),
    plan,
    households,
    residents,
    parking.spaces,
    registries.plates,
  )

  const gates: Gate[] = site.gates.map((g, i) => ({
    id: `${cid}-g${String(i + 1).padStart(2, '0')}`,
    communityId: cid,
    name: g.name,
    kind: g.kind,
    position: g.position,
    nodeId: network.nodeAt(g.inner),
    lanes: g.lanes,
  }))

  const unitsByBuilding = new Map<string, PlacedUnit[]>()
  for (const u of placedUnits) {
    const list = unitsByBuilding.get(u.unit.buildingId)
    if (list) list.push(u)
    else unitsByBuilding.set(u.unit.buildingId, [u])
  }
  const deviceRng = rng.fork('devices')
  const devices = [
    ...site.buildings.flatMap((b) =>
      buildingDevices(deviceRng, cid, b, unitsByBuilding.get(b.id) ?? [], servedBy(b, byId, unitsByBuilding)),
    ),
    ...siteDevices(deviceRng, {
      communityId: cid,
      builtYear: plan.builtYear,
      garageYear: plan.towerYear,
      gates: gates.map((gate, i) => ({ gate, plan: site.gates[i] as (typeof site.gates)[number] })),
      ramps: site.ramps,
      garage: parking.garage,
      garageLotIds: parking.lots.filter((l) => l.kind === 'underground').map((l) => l.id),
      areas,
      roads: site.roads,
      footprints: site.buildings.filter((b) => b.floors > 0).map((b) => b.rect),
    }),
  ]

  const buildings: Building[] = site.buildings.map((b) => ({
    id: b.id,
    communityId: cid,
    name: b.name,
    kind: b.kind,
    footprint: rectPolygon(b.rect),
    floors: b.floors,
    basementFloors: b.basementFloors,
    height: b.height,
    floorHeight: b.floorHeight,
    entrances: b.entrances,
    elevatorCount: b.elevatorCount,
    builtYear: b.builtYear,
    entranceNodeIds: b.doors.map((d) => network.nodeAt(d)),
    ...(b.kind === 'pump_room' ? { servedBuildingIds: b.serves } : {}),
  }))

  const community: Community = {
    id: cid,
    name: plan.name,
    city: plan.city.name,
    district: plan.district.name,
    address: plan.address,
    anchor: plan.anchor,
    boundary: site.boundary,
    builtYear: plan.builtYear,
    buildings,
    units,
    households,
    residents,
    vehicles,
    roads: network.graph,
    gates,
    parkingLots: parking.lots,
    parkingSpaces: parking.spaces,
    areas,
    devices,
  }
  return shiftCommunity(community, -site.width / 2, -site.depth / 2)
}
