/**
 * Lookups over one community that the demand model and the device actors share: building entrances (单元) with
 * their households, lifts and door stations; households with their residents, unit, floor and car; passage points
 * (pedestrian gates with turnstiles, vehicle gates and garage ramps with barriers) with their positions. Built once
 * per community; plain data afterwards.
 */
import type {
  Building,
  Community,
  Device,
  Household,
  Resident,
  Unit,
  Vec2,
  Vehicle,
} from '../../data/index.ts'

/** One entrance (单元) of a residential building: its own stair core, lifts and door stations. */
export interface EntranceSite {
  readonly index: number
  readonly building: Building
  readonly entrance: number
  /** Where the entrance door is. */
  readonly position: Vec2
  readonly elevators: readonly Device[]
  readonly groundDoor: Device | null
  readonly basementDoor: Device | null
  readonly households: HouseholdSite[]
}

export interface HouseholdSite {
  readonly index: number
  readonly household: Household
  readonly unit: Unit
  readonly entrance: EntranceSite | null
  readonly residents: readonly Resident[]
  /** The resident who drives the household's first car, and that car. */
  readonly driver: {
    readonly residentId: string
    readonly vehicle: Vehicle
    readonly underground: boolean
  } | null
}

/** A gate or a garage's ramps: where people and cars pass and are counted. */
export interface PassagePoint {
  readonly index: number
  readonly id: string
  readonly kind: 'gate' | 'ramp'
  readonly position: Vec2
  readonly turnstiles: readonly Device[]
  readonly barriersIn: readonly Device[]
  readonly barriersOut: readonly Device[]
  readonly counter: Device | null
}

const DOOR_ID = /-e(\d+)(?:-b\d+)?$/

function centroid(points: readonly Vec2[]): Vec2 {
  let x = 0
  let y = 0
  for (const p of points) {
    x += p[0]
    y += p[1]
  }
  return [x / Math.max(1, points.length), y / Math.max(1, points.length)]
}

/** Lookups over one community. */
export class SiteIndex {
  readonly entrances: EntranceSite[] = []
  readonly households: HouseholdSite[] = []
  readonly points: PassagePoint[] = []
  readonly householdByUnit = new Map<string, HouseholdSite>()
  readonly buildingById = new Map<string, Building>()
  readonly unitById = new Map<string, Unit>()

  constructor(readonly community: Community) {
    const c = community
    const nodes = new Map(c.roads.nodes.map((n) => [n.id, n.position]))
    for (const b of c.buildings) this.buildingById.set(b.id, b)
    for (const u of c.units) this.unitById.set(u.id, u)

    const entranceByKey = new Map<string, EntranceSite>()
    const entranceOf = (buildingId: string, entrance: number): EntranceSite | undefined => {
      const key = `${buildingId}#${entrance}`
      const found = entranceByKey.get(key)
      if (found) return found
      const building = this.buildingById.get(buildingId)
      if (!building || (building.kind !== 'walkup' && building.kind !== 'tower')) return undefined
      const nodeId = building.entranceNodeIds?.[entrance - 1]
      const site: EntranceSite = {
        index: this.entrances.length,
        building,
        entrance,
        position: (nodeId && nodes.get(nodeId)) || centroid(building.footprint),
        elevators: [],
        groundDoor: null,
        basementDoor: null,
        households: [],
      }
      this.entrances.push(site)
      entranceByKey.set(key, site)
      return site
    }
    for (const b of c.buildings) for (let e = 1; e <= b.entrances; e++) entranceOf(b.id, e)

    const gates = new Map<
      string,
      { turnstiles: Device[]; in: Device[]; out: Device[]; counter: Device | null }
    >()
    const ramps = new Map<string, { in: Device[]; out: Device[] }>()
    const gateEntry = (id: string) => {
      let entry = gates.get(id)
      if (!entry) gates.set(id, (entry = { turnstiles: [], in: [], out: [], counter: null }))
      return entry
    }
    for (const d of c.devices) {
      if (d.kind === 'elevator' && d.buildingId) {
        const site = entranceOf(d.buildingId, Number(d.spec.entrance ?? 1))
        if (site) (site.elevators as Device[]).push(d)
      } else if (d.kind === 'access_gate' && d.gateId) {
        gateEntry(d.gateId).turnstiles.push(d)
      } else if (d.kind === 'access_gate' && d.buildingId) {
        const match = DOOR_ID.exec(d.id)
        const site = match ? entranceOf(d.buildingId, Number(match[1])) : undefined
        if (site) {
          const writable = site as { groundDoor: Device | null; basementDoor: Device | null }
          if (d.spec.location === 'ground') writable.groundDoor ??= d
          else writable.basementDoor ??= d
        }
      } else if (d.kind === 'parking_barrier') {
        const direction = d.spec.direction === 'out' ? 'out' : 'in'
        if (d.gateId) gateEntry(d.gateId)[direction].push(d)
        else if (d.lotId) {
          let entry = ramps.get(d.lotId)
          if (!entry) ramps.set(d.lotId, (entry = { in: [], out: [] }))
          entry[direction].push(d)
        }
      } else if (d.kind === 'people_counter' && d.gateId) {
        gateEntry(d.gateId).counter ??= d
      }
    }

    for (const g of c.gates) {
      const entry = gates.get(g.id)
      if (!entry) continue
      this.points.push({
        index: this.points.length,
        id: g.id,
        kind: 'gate',
        position: g.position,
        turnstiles: entry.turnstiles,
        barriersIn: entry.in,
        barriersOut: entry.out,
        counter: entry.counter,
      })
    }
    const lots = new Map(c.parkingLots.map((l) => [l.id, l]))
    for (const [lotId, entry] of ramps) {
      const lot = lots.get(lotId)
      const position = lot ? centroid(lot.polygon) : ([0, 0] as Vec2)
      const at = (entry.in[0] ?? entry.out[0])?.position
      this.points.push({
        index: this.points.length,
        id: lotId,
        kind: 'ramp',
        position: at ? [at[0], at[1]] : position,
        turnstiles: [],
        barriersIn: entry.in,
        barriersOut: entry.out,
        counter: null,
      })
    }

    const residentsByHousehold = new Map<string, Resident[]>()
    for (const r of c.residents) {
      const list = residentsByHousehold.get(r.householdId)
      if (list) list.push(r)
      else residentsByHousehold.set(r.householdId, [r])
    }
    const vehiclesByHousehold = new Map<string, Vehicle[]>()
    for (const v of c.vehicles) {
      const list = vehiclesByHousehold.get(v.householdId)
      if (list) list.push(v)
      else vehiclesByHousehold.set(v.householdId, [v])
    }
    const spaceLot = new Map(c.parkingSpaces.map((s) => [s.id, s.lotId]))
    for (const h of c.households) {
      const unit = this.unitById.get(h.unitId)
      if (!unit) continue
      const residents = residentsByHousehold.get(h.id) ?? []
      const vehicle = vehiclesByHousehold.get(h.id)?.[0]
      // The car goes with the first commuter, else the first adult at home.
      const driverResident =
        residents.find((r) => r.occupation === 'commuter') ?? residents.find((r) => r.occupation === 'home')
      const lotId = vehicle?.spaceId ? spaceLot.get(vehicle.spaceId) : undefined
      const site: HouseholdSite = {
        index: this.households.length,
        household: h,
        unit,
        entrance: entranceOf(unit.buildingId, unit.entrance) ?? null,
        residents,
        driver:
          vehicle && driverResident
            ? {
                residentId: driverResident.id,
                vehicle,
                underground: lotId !== undefined && lots.get(lotId)?.kind === 'underground',
              }
            : null,
      }
      this.households.push(site)
      this.householdByUnit.set(unit.id, site)
      site.entrance?.households.push(site)
    }
  }

  /** Pedestrian gates (with turnstiles). */
  pedestrianGates(): PassagePoint[] {
    return this.points.filter((p) => p.kind === 'gate' && p.turnstiles.length > 0)
  }

  /** Vehicle gates (with barriers). */
  vehicleGates(): PassagePoint[] {
    return this.points.filter((p) => p.kind === 'gate' && p.barriersIn.length + p.barriersOut.length > 0)
  }

  /** Garage ramps (barriers of an underground lot). */
  garageRamps(): PassagePoint[] {
    return this.points.filter((p) => p.kind === 'ramp')
  }
}
