/**
 * Evacuation of buildings or an area of a community: every resident of the chosen buildings starts on their own
 * floor, reacts, walks down their entrance's stair core (lifts are not used in an evacuation), leaves through the
 * entrance door at the stair's discharge capacity, then walks outdoors to the nearest assembly point (open areas
 * or the gates, which stand open). The indoor part is a queue model (descent time by floor and walking speed, a
 * first come, first served discharge per stair core); the outdoor part is the pedestrian engine. The last
 * arrival at an assembly point is the evacuation time.
 */
import type { Building, Community } from '../../data/community/types.ts'
import { areaPoint, communityGeometry, entrancePoint } from './community-geometry.ts'
import type { Point } from './geometry.ts'
import { copyPoints, pointInPolygon } from './geometry.ts'
import { queueThrough } from './gate-queues.ts'
import { Rng } from './rng.ts'
import type { ScenarioInput } from './scenario.ts'
import { drawSpeed } from './speed-profiles.ts'

/** Options of {@link buildingEvacuation}. */
export interface EvacuationOptions {
  readonly seed: number
  /** Buildings to evacuate (ids). Default: with `area`, the buildings inside it; without, every home. */
  readonly buildings?: readonly string[]
  /** An area (polygon, metres): the buildings whose footprint centre lies inside it are evacuated. */
  readonly area?: readonly Point[]
  /** People outdoors in `area` (or anywhere in the community) who evacuate too. Default 0. */
  readonly outdoor?: number
  /** Assembly points: gate ids and/or open-area ids. Default: every gate open to walkers. */
  readonly assembly?: readonly string[]
  /** Pre-movement (reaction) time, s, uniform. Default 30–120 s. */
  readonly reaction?: { readonly min: number; readonly max: number }
  /** The year ages are computed for (explicit, so a run never depends on the clock). */
  readonly year?: number
  readonly dt?: number
}

/**
 * Vertical descent speed on a stair of someone walking 1.34 m/s on the level, m/s: about 15 s a 3 m storey,
 * the uncongested descent rate observed in high-rise evacuation drills (Pauls; SFPE Handbook).
 */
export const STAIR_VERTICAL_SPEED = 0.2
/** Discharge capacity of one stair core's exit door, persons/s (a 1.1–1.2 m stair at ~1.1 persons/m/s). */
export const STAIR_FLOW = 1.3

/** A request the community cannot satisfy (unknown building or assembly point, nobody to evacuate). */
export class EvacuationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EvacuationError'
  }
}

const HOMES: readonly Building['kind'][] = ['tower', 'walkup']

/** Builds the evacuation scenario. @throws EvacuationError naming what does not exist */
export function buildingEvacuation(community: Community, options: EvacuationOptions): ScenarioInput {
  const rng = new Rng(options.seed)
  const year = options.year ?? 2025
  const geo = communityGeometry(community)
  const chosen = chooseBuildings(community, options)

  const assembly = assemblyTargets(community, geo.gateTarget, options.assembly)
  const assemblyIds = new Set(assembly)
  // In an emergency the gates stand open: no reader service time.
  const exits = geo.targets
    .filter((t) => assemblyIds.has(t.id))
    .map((t) => ({ id: t.id, polygon: t.polygon, ...(t.width !== undefined ? { width: t.width } : {}) }))

  const reaction = options.reaction ?? { min: 30, max: 120 }
  if (!(reaction.max >= reaction.min && reaction.min >= 0))
    throw new EvacuationError('reaction: max must be at least min, both ≥ 0')
  const unitOf = new Map(community.units.map((u) => [u.id, u]))
  const householdOf = new Map(community.households.map((h) => [h.id, h]))
  const chosenIds = new Set(chosen.map((b) => b.id))
  const buildingOf = new Map(chosen.map((b) => [b.id, b]))

  // Who is where: per stair core (building#entrance), each person's time at the bottom of the stair.
  const cores = new Map<string, { ids: string[]; speeds: number[]; atDoor: number[] }>()
  for (const r of community.residents) {
    const unit = unitOf.get(householdOf.get(r.householdId)?.unitId ?? '')
    if (!unit || !chosenIds.has(unit.buildingId)) continue
    const b = buildingOf.get(unit.buildingId)!
    const age = year - Number(r.birthDate.slice(0, 4))
    const speed = drawSpeed(rng, age, r.ageGroup === 'elderly' && age >= 80 && rng.next() < 0.3)
    const storeys = Math.max(0, unit.floor - 1) * b.floorHeight
    const descent = storeys / (STAIR_VERTICAL_SPEED * Math.min(1.5, speed / 1.34))
    const key = `${b.id}#${unit.entrance}`
    let core = cores.get(key)
    if (!core) cores.set(key, (core = { ids: [], speeds: [], atDoor: [] }))
    core.ids.push(r.id)
    core.speeds.push(speed)
    core.atDoor.push(rng.uniform(reaction.min, reaction.max) + descent)
  }

  const pedestrians: NonNullable<ScenarioInput['pedestrians']> = []
  for (const [key, core] of [...cores].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [bid, entrance] = key.split('#')
    const door = entrancePoint(buildingOf.get(bid!)!, Number(entrance))
    const { done } = queueThrough(core.atDoor, 1, 1 / STAIR_FLOW)
    core.ids.forEach((id, k) => {
      pedestrians.push({
        id: `${id}:evac`,
        position: [door[0] + rng.uniform(-0.8, 0.8), door[1] + rng.uniform(-0.6, 0)],
        speed: core.speeds[k]!,
        target: assembly,
        appear: round3(done[k]!),
      })
    })
  }
  const outdoor = options.outdoor ?? 0
  if (pedestrians.length === 0 && outdoor === 0)
    throw new EvacuationError('nobody to evacuate: the chosen buildings have no residents')
  const latest = pedestrians.reduce((t, p) => Math.max(t, p.appear ?? 0), 0)
  return {
    name: `${community.name} evacuation of ${chosen.length === 1 ? chosen[0]!.name : `${chosen.length} buildings`}`,
    seed: options.seed,
    dt: options.dt ?? 0.05,
    // Long enough for the last one down the stairs to walk across the site.
    duration: Math.ceil(latest + 1800),
    cell: 0.5,
    walls: geo.walls,
    obstacles: geo.obstacles,
    exits,
    pedestrians,
    sources:
      outdoor > 0
        ? [
            {
              id: 'outdoor',
              polygon: copyPoints(options.area ?? community.boundary),
              count: outdoor,
              speed: { mean: 1.25, sd: 0.3, min: 0.46, max: 1.61 },
              target: assembly,
              reaction: { min: reaction.min, max: reaction.max },
            },
          ]
        : [],
    measure: { heatmap: { cell: 5, interval: 30 }, lines: geo.gateLines },
  }
}

function chooseBuildings(community: Community, options: EvacuationOptions): Building[] {
  if (options.buildings && options.buildings.length > 0) {
    const byId = new Map(community.buildings.map((b) => [b.id, b]))
    return options.buildings.map((id) => {
      const b = byId.get(id)
      if (!b) throw new EvacuationError(`unknown building "${id}"`)
      return b
    })
  }
  const homes = community.buildings.filter((b) => HOMES.includes(b.kind))
  const area = options.area
  if (!area) return homes
  return homes.filter((b) => {
    const [x, y] = areaPoint(b.footprint)
    return pointInPolygon(x, y, area)
  })
}

function assemblyTargets(
  community: Community,
  gateTarget: ReadonlyMap<string, string>,
  wanted: readonly string[] | undefined,
): string[] {
  if (!wanted || wanted.length === 0) {
    const gates = [...gateTarget.values()]
    if (gates.length === 0) throw new EvacuationError('the community has no gate open to walkers')
    return gates
  }
  const areas = new Set(community.areas.filter((a) => a.kind !== 'water').map((a) => a.id))
  return wanted.map((id) => {
    const gate = gateTarget.get(id)
    if (gate) return gate
    if (areas.has(id)) return `area:${id}`
    throw new EvacuationError(`unknown assembly point "${id}" (a gate open to walkers or an open area)`)
  })
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000
}
