/**
 * Parking: about one space per household, two thirds of them in the underground garage under the tower rows and
 * the rest in surface strips, filled nearest-to-the-main-gate first so visitor spaces end up by the gate. Garage
 * spaces are partly sold (owned) and partly rented monthly; about a tenth of all spaces have a charger.
 */
import type { ParkingLot, ParkingSpace, Vec2 } from './types.ts'
import type { Rect } from './geometry.ts'
import { rectPolygon } from './geometry.ts'
import type { Rng } from './rng.ts'
import type { Site, StripPlan } from './site.ts'
import type { RoadNetwork } from './roads.ts'
import { AISLE, STALL_DEPTH, STALL_WIDTH, garageStalls, stripStalls } from './parking-grid.ts'

export interface ParkingResult {
  readonly lots: ParkingLot[]
  readonly spaces: ParkingSpace[]
  /** Footprint of the underground garage (site frame). */
  readonly garage: Rect
  /** Number of garage levels (1 or 2). */
  readonly levels: number
  /** Lot id of garage level -1, which the ramps serve. */
  readonly garageLotId: string
}

/** Height of one garage level: basement level k has its floor at -k × this. */
export const GARAGE_LEVEL_HEIGHT = 3.6

interface Stall {
  readonly lot: number
  readonly at: Vec2
  readonly underground: boolean
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

function distance(a: Vec2, b: Vec2): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1])
}

function trimmedStrip(strip: StripPlan, used: readonly Vec2[]): Rect {
  const first = used[0] as Vec2
  const lastStall = used[used.length - 1] as Vec2
  const half = STALL_WIDTH / 2
  return strip.along === 'y'
    ? { ...strip.rect, y0: first[1] - half, y1: lastStall[1] + half }
    : { ...strip.rect, x0: first[0] - half, x1: lastStall[0] + half }
}

/** Allocates lots and spaces for `households` households. */
export function planParking(
  rng: Rng,
  site: Site,
  households: number,
  roads: RoadNetwork,
  communityId: string,
): ParkingResult {
  const total = Math.round(households * rng.float(0.92, 1.08))
  const visitors = Math.round(total * rng.float(0.06, 0.09))
  let underground = Math.round(total * rng.float(0.62, 0.75))
  let surfaceLeft = total - underground

  const lots: ParkingLot[] = []
  const stalls: Stall[] = []
  const centre = (r: Rect): Vec2 => [(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2]
  const strips = [...site.strips].sort(
    (a, b) => distance(centre(a.rect), site.mainGate) - distance(centre(b.rect), site.mainGate),
  )
  for (const strip of strips) {
    if (surfaceLeft <= 0) break
    const all = stripStalls(strip)
    // Take the stalls nearest the gate end of a strip that is only partly needed.
    const ordered =
      distance(all[0] ?? site.mainGate, site.mainGate) <=
      distance(all[all.length - 1] ?? site.mainGate, site.mainGate)
        ? all
        : [...all].reverse()
    const used = ordered.slice(0, surfaceLeft).sort((a, b) => a[0] - b[0] || a[1] - b[1])
    if (used.length === 0) continue
    surfaceLeft -= used.length
    const n = lots.length + 1
    lots.push({
      id: `${communityId}-p${pad(n, 2)}`,
      communityId,
      name: `地面停车场${n}`,
      kind: 'surface',
      polygon: rectPolygon(trimmedStrip(strip, used)),
      entranceNodeId: roads.nodeAt(strip.roadPoint),
      level: 0,
    })
    for (const at of used) stalls.push({ lot: lots.length - 1, at, underground: false })
  }
  underground += Math.max(0, surfaceLeft)

  // The garage: stalls skip tower cores, basement pump rooms and the ramp landings.
  const region = site.garageRegion
  const holes: Rect[] = [
    ...site.buildings
      .filter((b) => b.kind === 'tower' || (b.kind === 'pump_room' && b.floors === 0))
      .map((b) => b.rect),
    ...site.ramps.map((r) => ({
      x0: r.bottom[0] - 6,
      y0: r.bottom[1] - 5,
      x1: r.bottom[0] + 6,
      y1: r.bottom[1] + 5,
    })),
  ]
  const grid = garageStalls(region, holes)
  const levelOne = grid.slice(0, Math.min(underground, grid.length))
  const levelTwo = grid.slice(0, Math.min(underground - levelOne.length, grid.length))
  const lastStall = levelOne[levelOne.length - 1]
  const northMost = Math.max(
    lastStall ? lastStall[1] + STALL_DEPTH / 2 + AISLE : region.y0,
    ...site.ramps.map((r) => r.bottom[1] + 8),
    ...site.buildings.filter((b) => b.kind === 'pump_room' && b.floors === 0).map((b) => b.rect.y1 + 3),
  )
  const garage = { ...region, y1: Math.min(region.y1, northMost) }
  const entrance = roads.nodeAt((site.ramps[0] as { bottom: Vec2 }).bottom)
  const levels = levelTwo.length > 0 ? 2 : 1
  for (let level = 1; level <= levels; level++) {
    lots.push({
      id: `${communityId}-p${pad(lots.length + 1, 2)}`,
      communityId,
      name: `地下车库B${level}`,
      kind: 'underground',
      polygon: rectPolygon(garage),
      entranceNodeId: entrance,
      level: -level,
    })
    for (const at of level === 1 ? levelOne : levelTwo)
      stalls.push({ lot: lots.length - 1, at, underground: true })
  }
  const garageLotId = (lots.find((l) => l.level === -1) as ParkingLot).id

  // Visitors get the first surface stalls (nearest the gate); chargers and accessible bays are sprinkled.
  const counters = new Map<number, number>()
  const spaces = stalls.map((stall, i): ParkingSpace => {
    const lot = lots[stall.lot] as ParkingLot
    const n = (counters.get(stall.lot) ?? 0) + 1
    counters.set(stall.lot, n)
    const code = lot.kind === 'underground' ? `B${-lot.level}` : `P${stall.lot + 1}`
    const accessible = rng.chance(0.02)
    const ev = !accessible && rng.chance(stall.underground ? 0.12 : 0.05)
    return {
      id: `${lot.id}-s${pad(n, 4)}`,
      lotId: lot.id,
      number: `${code}-${pad(n, 3)}`,
      position: stall.at,
      kind: accessible ? 'accessible' : ev ? 'ev_charging' : 'standard',
      tenure: i < visitors ? 'visitor' : stall.underground && rng.chance(0.55) ? 'owned' : 'monthly',
    }
  })
  return { lots, spaces, garage, levels, garageLotId }
}
