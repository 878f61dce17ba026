/**
 * The walkable geometry of a community for the pedestrian engine: the boundary wall (围墙) opened at each gate,
 * buildings and water as obstacles, and the targets people walk to: gates (just outside the opening), open
 * areas, and each building's entrance side. Also where people appear: building entrances and the inside of
 * gates.
 */
import type { Building, Community, Gate } from '../../data/community/types.ts'
import type { Point, XY } from './geometry.ts'
import { copyPoints, polygonArea, polygonCenter } from './geometry.ts'

/** Gate opening width in the boundary wall by gate kind, metres. */
export const GATE_WIDTH: Readonly<Record<Gate['kind'], number>> = { pedestrian: 3, vehicle: 6, mixed: 8 }

/** A target in the scenario format. */
export interface CommunityTarget {
  readonly id: string
  readonly polygon: XY[]
  readonly width?: number
  /** Controlled gates: seconds per person at a reader, and the number of readers. */
  readonly service?: number
  readonly lanes?: number
}

/** Seconds a resident takes at a gate's card or face reader. */
export const READER_SERVICE = 1.5

/** The community's geometry in scenario terms. */
export interface CommunityGeometry {
  readonly walls: XY[][]
  readonly obstacles: XY[][]
  readonly targets: CommunityTarget[]
  /** Target id of a gate (pedestrian and mixed gates only). */
  readonly gateTarget: ReadonlyMap<string, string>
  /** Where people walking in through a gate appear (2 m inside the opening). */
  readonly gateInside: ReadonlyMap<string, Point>
  /** Target id of a building (its entrance side). */
  readonly buildingTarget: ReadonlyMap<string, string>
  /** Counting lines across each gate opening (the flows through the gates). */
  readonly gateLines: { id: string; from: XY; to: XY }[]
}

/** The target id used for a building. */
export const buildingTargetId = (id: string): string => `building:${id}`

/** Builds the geometry; gates are matched to the boundary edge they stand on (within 1 m). */
export function communityGeometry(community: Community): CommunityGeometry {
  const boundary = community.boundary
  const walls: XY[][] = []
  const targets: CommunityTarget[] = []
  const gateTarget = new Map<string, string>()
  const gateInside = new Map<string, Point>()
  const gateLines: { id: string; from: XY; to: XY }[] = []
  const ccw = polygonArea(boundary) > 0
  for (let k = 0; k < boundary.length; k++) {
    const a = boundary[k]!
    const b = boundary[(k + 1) % boundary.length]!
    const len = Math.hypot(b[0] - a[0], b[1] - a[1])
    if (len === 0) continue
    const ux = (b[0] - a[0]) / len
    const uy = (b[1] - a[1]) / len
    // Outward normal of the edge (the boundary is counter-clockwise per the model; handle either way).
    const nx = ccw ? uy : -uy
    const ny = ccw ? -ux : ux
    const cuts: [number, number][] = []
    for (const g of community.gates) {
      const t = (g.position[0] - a[0]) * ux + (g.position[1] - a[1]) * uy
      const off = Math.abs((g.position[0] - a[0]) * uy - (g.position[1] - a[1]) * ux)
      if (off > 1 || t < 0 || t > len || gateInside.has(g.id)) continue
      const w = GATE_WIDTH[g.kind] / 2
      gateInside.set(g.id, [g.position[0] - nx * 2, g.position[1] - ny * 2])
      // A vehicle-only gate stays closed to walkers (its side door, if any, is not modelled).
      if (g.kind === 'vehicle') continue
      const c0 = Math.max(0, t - w)
      const c1 = Math.min(len, t + w)
      cuts.push([c0, c1])
      gateLines.push({
        id: `gate:${g.id}`,
        from: [a[0] + ux * c0, a[1] + uy * c0],
        to: [a[0] + ux * c1, a[1] + uy * c1],
      })
      // A box 1 m deep, 1–2 m outside the wall, as wide as the opening.
      const box: XY[] = [
        [g.position[0] + nx - ux * w, g.position[1] + ny - uy * w],
        [g.position[0] + nx + ux * w, g.position[1] + ny + uy * w],
        [g.position[0] + 2 * nx + ux * w, g.position[1] + 2 * ny + uy * w],
        [g.position[0] + 2 * nx - ux * w, g.position[1] + 2 * ny - uy * w],
      ]
      const id = `gate:${g.id}`
      targets.push({ id, polygon: box, width: 2 * w, service: READER_SERVICE, lanes: Math.max(1, g.lanes) })
      gateTarget.set(g.id, id)
    }
    cuts.sort((p, q) => p[0] - q[0])
    let s = 0
    for (const [c0, c1] of [...cuts, [len, len] as [number, number]]) {
      if (c0 > s)
        walls.push([
          [a[0] + ux * s, a[1] + uy * s],
          [a[0] + ux * c0, a[1] + uy * c0],
        ])
      s = Math.max(s, c1)
    }
  }
  for (const area of community.areas) {
    if (area.kind !== 'water') targets.push({ id: `area:${area.id}`, polygon: copyPoints(area.polygon) })
  }
  const buildingTarget = new Map<string, string>()
  for (const b of community.buildings) {
    const id = buildingTargetId(b.id)
    targets.push({ id, polygon: entranceStrip(b) })
    buildingTarget.set(b.id, id)
  }
  const obstacles: XY[][] = community.buildings.map((b) => copyPoints(b.footprint))
  for (const area of community.areas) if (area.kind === 'water') obstacles.push(copyPoints(area.polygon))
  return { walls, obstacles, targets, gateTarget, gateInside, buildingTarget, gateLines }
}

/** The strip in front of a building's entrance side (the south façade, 0.2–1.2 m out). */
export function entranceStrip(b: Building): XY[] {
  const { minX, maxX, minY } = extent(b.footprint)
  return [
    [minX, minY - 1.2],
    [maxX, minY - 1.2],
    [maxX, minY - 0.2],
    [minX, minY - 0.2],
  ]
}

/** The door of entrance `k` (1-based) of a building: 1.5 m in front of the south façade. */
export function entrancePoint(b: Building, k: number): Point {
  const { minX, maxX, minY } = extent(b.footprint)
  const n = Math.max(1, b.entrances)
  const f = (Math.min(Math.max(k, 1), n) - 0.5) / n
  return [minX + f * (maxX - minX), minY - 1.5]
}

/** A point of an open area people gather at (its centre). */
export function areaPoint(polygon: readonly Point[]): Point {
  return polygonCenter(polygon)
}

function extent(poly: readonly (readonly [number, number])[]): { minX: number; maxX: number; minY: number } {
  let minX = Infinity
  let maxX = -Infinity
  let minY = Infinity
  for (const [x, y] of poly) {
    minX = Math.min(minX, x)
    maxX = Math.max(maxX, x)
    minY = Math.min(minY, y)
  }
  return { minX, maxX, minY }
}
