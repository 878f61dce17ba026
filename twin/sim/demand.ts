/**
 * Demand from the community model: each resident's weekday (commute, school, kindergarten, exercise, shopping,
 * taking out the waste) as walking trips out and back, household cars leaving and returning through the gates,
 * visitors and couriers on foot and by car, and the waste truck; all within a time window of the day, as a
 * scenario in the interchange format (times count from `from`). Deterministic for a seed.
 */
import type { Community, Resident } from '../../data/community/types.ts'
import { areaPoint, communityGeometry, entrancePoint } from './community-geometry.ts'
import type { Point } from './geometry.ts'
import { copyPoints } from './geometry.ts'
import { Rng } from './rng.ts'
import type { ScenarioInput } from './scenario.ts'
import { drawSpeed } from './speed-profiles.ts'

/** Options of {@link communityScenario}. */
export interface DemandOptions {
  readonly seed: number
  /** Window start, seconds after midnight (a day: 0; the morning peak: 7 h = 25,200). */
  readonly from: number
  /** Window end, seconds after midnight. */
  readonly to: number
  /** Time step, s (default 0.1: first-order model, sparse crowds). */
  readonly dt?: number
  /** The year ages are computed for (explicit, so a run never depends on the clock). */
  readonly year?: number
  /** Leave out walking trips (vehicle-only studies run in milliseconds). */
  readonly pedestrians?: boolean
  /** Density heatmap cell (m) and interval (s); default 5 m every 5 min. */
  readonly heatmap?: { readonly cell: number; readonly interval: number }
}

const H = 3600
type Place = 'gate' | 'fitness' | 'green' | 'shop' | 'kindergarten' | 'waste'

/** An outing: leave home around `mean` (normal, sd), go to `to`, stay `stay` seconds, come back. */
interface Outing {
  readonly mean: number
  readonly sd: number
  readonly to: Place
  readonly share: number
  readonly stay: number
}

/** Weekday outings by occupation (shares are per person per day). */
const OUTINGS: Readonly<Record<Resident['occupation'], readonly Outing[]>> = {
  commuter: [
    { mean: 7.75 * H, sd: 0.4 * H, to: 'gate', share: 1, stay: 10.5 * H },
    { mean: 19.75 * H, sd: 0.5 * H, to: 'fitness', share: 0.2, stay: 0.75 * H },
  ],
  student: [{ mean: 7.2 * H, sd: 0.25 * H, to: 'gate', share: 1, stay: 9.5 * H }],
  preschool: [{ mean: 8 * H, sd: 0.25 * H, to: 'kindergarten', share: 1, stay: 8.5 * H }],
  retired: [
    { mean: 6.75 * H, sd: 0.5 * H, to: 'fitness', share: 0.4, stay: 0.75 * H },
    { mean: 9 * H, sd: 0.7 * H, to: 'shop', share: 0.4, stay: 1.5 * H },
    { mean: 15.5 * H, sd: 0.7 * H, to: 'green', share: 0.3, stay: 1 * H },
  ],
  home: [
    { mean: 10 * H, sd: 1 * H, to: 'shop', share: 0.4, stay: 1.5 * H },
    { mean: 19.75 * H, sd: 0.5 * H, to: 'fitness', share: 0.2, stay: 0.75 * H },
  ],
}

/** Builds the scenario of the community over the window. */
export function communityScenario(community: Community, options: DemandOptions): ScenarioInput {
  const rng = new Rng(options.seed)
  const { from, to } = options
  const year = options.year ?? 2025
  const geo = communityGeometry(community)
  const pedestrians: NonNullable<ScenarioInput['pedestrians']> = []
  const vehicles: NonNullable<ScenarioInput['vehicles']> = []
  const inWindow = (t: number): boolean => t >= from && t < to
  const walk = options.pedestrians !== false

  // Places: target ids people walk to (several: the quickest is chosen), and where they come back from.
  const areaIds = (kinds: readonly string[]): string[] =>
    community.areas.filter((a) => kinds.includes(a.kind)).map((a) => `area:${a.id}`)
  const gates = [...geo.gateTarget.values()]
  const buildingsOf = (kind: string): string[] =>
    community.buildings.filter((b) => b.kind === kind).map((b) => geo.buildingTarget.get(b.id)!)
  const places: Record<Place, string[]> = {
    gate: gates,
    fitness: orElse(areaIds(['fitness', 'plaza']), gates),
    green: orElse(areaIds(['green_belt', 'plaza', 'playground']), gates),
    shop: [...buildingsOf('commercial'), ...gates],
    kindergarten: orElse(buildingsOf('kindergarten'), gates),
    waste: areaIds(['waste_station']),
  }
  const targetPoint = new Map<string, Point>()
  for (const g of community.gates) {
    const id = geo.gateTarget.get(g.id)
    if (id) targetPoint.set(id, geo.gateInside.get(g.id)!)
  }
  for (const a of community.areas) targetPoint.set(`area:${a.id}`, areaPoint(a.polygon))
  for (const b of community.buildings) targetPoint.set(geo.buildingTarget.get(b.id)!, entrancePoint(b, 1))
  /** Where someone who went to one of `targets` comes back from: the one nearest to home (and its id). */
  const returnFrom = (targets: readonly string[], home: Point): { at: Point; id: string | null } => {
    let best: { at: Point; id: string | null } = { at: home, id: null }
    let bestD = Infinity
    for (const id of targets) {
      const p = targetPoint.get(id)
      if (!p) continue
      const d = Math.hypot(p[0] - home[0], p[1] - home[1])
      if (d < bestD) {
        bestD = d
        best = { at: p, id }
      }
    }
    return best
  }
  const gateIds = new Set(geo.gateTarget.values())
  const jitter = (p: Point): [number, number] => [
    p[0] + rng.uniform(-0.8, 0.8),
    p[1] + rng.uniform(-0.8, 0.8),
  ]
  const addWalk = (
    id: string,
    at: Point,
    target: string | string[],
    t: number,
    speed: number,
    via?: string,
  ): void => {
    if (!walk || !inWindow(t) || (Array.isArray(target) && target.length === 0)) return
    pedestrians.push({ id, position: jitter(at), speed, target, appear: t - from, ...(via ? { via } : {}) })
  }

  const unitOf = new Map(community.units.map((u) => [u.id, u]))
  const householdOf = new Map(community.households.map((h) => [h.id, h]))
  const buildingOf = new Map(community.buildings.map((b) => [b.id, b]))
  const carOf = new Map(community.vehicles.map((v) => [v.householdId, v]))
  const lotOfSpace = new Map(community.parkingSpaces.map((s) => [s.id, s.lotId]))
  const vehicleGates = community.gates.filter((g) => g.kind !== 'pedestrian').map((g) => g.id)
  const lots = community.parkingLots.map((l) => l.id)
  const carUsed = new Set<string>()
  const wasteDone = new Set<string>()

  for (const r of community.residents) {
    const hh = householdOf.get(r.householdId)
    const unit = hh ? unitOf.get(hh.unitId) : undefined
    const building = unit ? buildingOf.get(unit.buildingId) : undefined
    if (!hh || !unit || !building) continue
    const age = year - Number(r.birthDate.slice(0, 4))
    const speed = drawSpeed(rng, age, r.ageGroup === 'elderly' && age >= 80 && rng.next() < 0.3)
    const door = entrancePoint(building, unit.entrance)
    const home = geo.buildingTarget.get(building.id)!
    let n = 0
    for (const o of OUTINGS[r.occupation]) {
      if (rng.next() >= o.share) continue
      const out = Math.max(0, rng.normal(o.mean, o.sd))
      const back = out + o.stay * rng.uniform(0.8, 1.2)
      const car = carOf.get(r.householdId)
      if (
        o.to === 'gate' &&
        r.occupation === 'commuter' &&
        car &&
        !carUsed.has(car.id) &&
        vehicleGates.length > 0
      ) {
        // The household's car goes with its first commuter: out of its lot, back to it in the evening.
        carUsed.add(car.id)
        const lot = (car.spaceId ? lotOfSpace.get(car.spaceId) : undefined) ?? lots[0]
        if (lot) {
          if (inWindow(out))
            vehicles.push({ id: `${car.id}:out`, from: lot, to: vehicleGates, depart: out - from + 120 })
          if (inWindow(back))
            vehicles.push({
              id: `${car.id}:in`,
              from: rng.pick(vehicleGates),
              to: [lot, ...lots.filter((l) => l !== lot)],
              depart: back - from,
            })
          continue
        }
      }
      const targets = places[o.to]
      addWalk(`${r.id}:${n++}`, door, targets, out, speed)
      // Coming back in through a gate, they pass its readers first.
      const ret = returnFrom(targets, door)
      const via = ret.id !== null && gateIds.has(ret.id) ? ret.id : undefined
      addWalk(`${r.id}:${n++}`, ret.at, home, back, speed, via)
    }
    // One trip a household to the waste station, morning or evening, by whoever is first listed.
    if (!wasteDone.has(hh.id) && places.waste.length > 0 && r.ageGroup !== 'child') {
      wasteDone.add(hh.id)
      const t = rng.next() < 0.5 ? rng.normal(7.5 * H, 0.5 * H) : rng.normal(19.5 * H, 0.75 * H)
      addWalk(`${r.id}:waste`, door, places.waste, t, speed)
      addWalk(
        `${r.id}:waste-back`,
        returnFrom(places.waste, door).at,
        home,
        t + 60 + rng.uniform(60, 240),
        speed,
      )
    }
  }

  // Visitors and couriers on foot: arrive at a gate, walk to a building, stay, walk out.
  const homes = community.buildings.filter((b) => b.kind === 'tower' || b.kind === 'walkup')
  const onFoot = (
    count: number,
    start: number,
    end: number,
    stay: [number, number],
    prefix: string,
  ): void => {
    if (gates.length === 0 || homes.length === 0) return
    for (let k = 0; k < count; k++) {
      const t = rng.uniform(start, end)
      const gate = rng.pick(community.gates.filter((g) => geo.gateTarget.has(g.id)))
      const b = rng.pick(homes)
      const speed = drawSpeed(rng, rng.uniform(18, 60))
      addWalk(
        `${prefix}${k}:in`,
        geo.gateInside.get(gate.id)!,
        geo.buildingTarget.get(b.id)!,
        t,
        speed,
        geo.gateTarget.get(gate.id),
      )
      addWalk(
        `${prefix}${k}:out`,
        entrancePoint(b, 1 + rng.int(b.entrances)),
        gates,
        t + rng.uniform(...stay),
        speed,
      )
    }
  }
  const households = community.households.length
  onFoot(Math.round(households * 0.3), 10 * H, 20 * H, [1 * H, 3 * H], 'visitor')
  onFoot(Math.round(households * 0.5), 9 * H, 21 * H, [120, 300], 'courier')

  // Visitor cars and the waste truck.
  if (vehicleGates.length > 0 && lots.length > 0) {
    const cars = Math.round(households * 0.1)
    for (let k = 0; k < cars; k++) {
      const t = rng.uniform(9 * H, 21 * H)
      if (inWindow(t))
        vehicles.push({
          id: `visitor-car${k}`,
          from: rng.pick(vehicleGates),
          to: lots,
          depart: t - from,
          kind: 'visitor',
          dwell: rng.uniform(1, 3) * H,
          then: vehicleGates,
        })
    }
  }
  const wasteNodes = community.areas
    .filter((a) => a.kind === 'waste_station')
    .map((a) => nearestNode(community, areaPoint(a.polygon)))
  if (vehicleGates.length > 0 && wasteNodes.length > 0) {
    for (const [k, t] of [6 * H, 18 * H].entries()) {
      if (inWindow(t))
        vehicles.push({
          id: `waste-truck${k}`,
          from: vehicleGates[0]!,
          to: wasteNodes[0]!,
          depart: t - from,
          kind: 'waste',
          dwell: 900,
          then: vehicleGates,
        })
    }
  }
  return {
    name: `${community.name} ${clock(from)}–${clock(to)}`,
    seed: options.seed,
    dt: options.dt ?? 0.1,
    duration: to - from + 1800,
    cell: 0.5,
    walls: geo.walls,
    obstacles: geo.obstacles,
    exits: geo.targets,
    pedestrians,
    roads: {
      nodes: community.roads.nodes.map((n) => ({ id: n.id, position: [n.position[0], n.position[1]] })),
      edges: community.roads.edges
        .filter((e) => e.kind !== 'footpath')
        .map((e) => ({ id: e.id, from: e.from, to: e.to, length: e.length })),
    },
    gates: community.gates
      .filter((g) => g.kind !== 'pedestrian')
      .map((g) => ({ id: g.id, node: g.nodeId, lanes: g.lanes })),
    parking: community.parkingLots.map((l) => {
      const capacity = community.parkingSpaces.filter((s) => s.lotId === l.id).length
      const parked = community.vehicles.filter((v) => v.spaceId && lotOfSpace.get(v.spaceId) === l.id).length
      return { id: l.id, node: l.entranceNodeId, capacity, occupied: Math.min(parked, capacity) }
    }),
    vehicles,
    measure: { heatmap: options.heatmap ?? { cell: 5, interval: 300 }, lines: geo.gateLines },
  }
}

/** An evacuation of the community's outdoor area (or a part of it): `count` people, all gates open to them. */
export function communityEvacuation(
  community: Community,
  options: {
    readonly seed: number
    readonly count: number
    readonly area?: readonly Point[]
    readonly dt?: number
  },
): ScenarioInput {
  const geo = communityGeometry(community)
  const gates = [...geo.gateTarget.values()]
  return {
    name: `${community.name} evacuation`,
    seed: options.seed,
    dt: options.dt ?? 0.05,
    duration: 3600,
    cell: 0.5,
    walls: geo.walls,
    obstacles: geo.obstacles,
    exits: geo.targets.filter((t) => gates.includes(t.id)),
    sources: [
      {
        id: 'people',
        polygon: copyPoints(options.area ?? community.boundary),
        count: options.count,
        speed: { mean: 1.25, sd: 0.3, min: 0.46, max: 1.61 },
        target: gates,
        reaction: { min: 10, max: 60 },
      },
    ],
    measure: { heatmap: { cell: 5, interval: 30 }, lines: geo.gateLines },
  }
}

function nearestNode(community: Community, p: Point): string {
  let best = community.roads.nodes[0]?.id ?? ''
  let bestD = Infinity
  for (const n of community.roads.nodes) {
    const d = Math.hypot(n.position[0] - p[0], n.position[1] - p[1])
    if (d < bestD) {
      bestD = d
      best = n.id
    }
  }
  return best
}

function orElse<T>(xs: T[], fallback: T[]): T[] {
  return xs.length > 0 ? xs : fallback
}

function clock(s: number): string {
  const h = Math.floor(s / H)
  const m = Math.floor((s % H) / 60)
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
}
