/**
 * Spatial invariants of a community: everything inside the boundary wall, buildings apart from each other and
 * from roads and open areas, the sunlight spacing between rows, a connected road graph with honest edge lengths,
 * gates on the wall and on road nodes, devices where they belong.
 */
import type { Building, Community, Polygon, Vec2 } from './types.ts'
import type { Violation } from './invariants-types.ts'
import type { Rect } from './geometry.ts'
import {
  boundsOf,
  distanceToPolygonEdge,
  pointInPolygon,
  polygonSignedArea,
  polygonsOverlap,
  polylineClearance,
  polylineLength,
  rectsOverlap,
} from './geometry.ts'
import { isConnected } from './roads.ts'

/** Rounding to centimetres may move an edge by half of one. */
const TOLERANCE = 0.02
const SUNLIGHT_RATIO = 1.2

function aboveGround(c: Community): Building[] {
  return c.buildings.filter((b) => b.floors > 0)
}

function checkInside(c: Community, out: Violation[]): void {
  const wall = c.boundary
  if (polygonSignedArea(wall) <= 0)
    out.push({ code: 'outside-boundary', id: c.id, message: 'boundary is not counter-clockwise' })
  const outside = (id: string, what: string, points: readonly Vec2[]) => {
    const bad = points.find((p) => !pointInPolygon(p, wall))
    if (bad)
      out.push({
        code: 'outside-boundary',
        id,
        message: `${what} point (${bad.join(', ')}) is outside the boundary`,
      })
  }
  for (const b of c.buildings) outside(b.id, 'footprint', b.footprint)
  for (const a of c.areas) outside(a.id, 'area', a.polygon)
  for (const l of c.parkingLots) outside(l.id, 'lot', l.polygon)
  for (const s of c.parkingSpaces) outside(s.id, 'space', [s.position])
  for (const n of c.roads.nodes) outside(n.id, 'node', [n.position])
  for (const d of c.devices) outside(d.id, 'device', [[d.position[0], d.position[1]]])
}

function checkBuildings(c: Community, out: Violation[]): void {
  for (let i = 0; i < c.buildings.length; i++) {
    const a = c.buildings[i] as Building
    for (let j = i + 1; j < c.buildings.length; j++) {
      const b = c.buildings[j] as Building
      if (polygonsOverlap(a.footprint, b.footprint))
        out.push({ code: 'building-overlap', id: a.id, message: `overlaps ${b.id}` })
    }
  }
  const standing = aboveGround(c).map((b) => ({ b, box: boundsOf(b.footprint) }))
  for (const e of c.roads.edges) {
    const nodes = new Map(c.roads.nodes.map((n) => [n.id, n.position]))
    const line = [nodes.get(e.from), ...e.via, nodes.get(e.to)].filter((p): p is Vec2 => p !== undefined)
    const box = boundsOf(line)
    const reach = e.width / 2
    for (const { b, box: fb } of standing) {
      const near: Rect = { x0: box.x0 - reach, y0: box.y0 - reach, x1: box.x1 + reach, y1: box.y1 + reach }
      if (!rectsOverlap(near, fb)) continue
      if (polylineClearance(line, b.footprint) < reach - TOLERANCE) {
        out.push({
          code: 'road-through-building',
          id: e.id,
          message: `${e.kind} road (width ${e.width}) runs into ${b.id}`,
        })
      }
    }
  }
  for (const a of c.areas) {
    for (const { b } of standing) {
      if (polygonsOverlap(a.polygon, b.footprint))
        out.push({ code: 'area-over-building', id: a.id, message: `${a.kind} overlaps ${b.id}` })
    }
  }
}

/** A home must be at least 1.2× a southern neighbour's height away from it, for winter sun. */
function checkSunlight(c: Community, out: Violation[]): void {
  const standing = aboveGround(c).map((b) => ({ b, box: boundsOf(b.footprint) }))
  for (const { b: home, box: h } of standing) {
    if (home.kind !== 'walkup' && home.kind !== 'tower') continue
    for (const { b: other, box: o } of standing) {
      const south = o.y1 <= h.y0 + TOLERANCE
      const facing = o.x0 < h.x1 && h.x0 < o.x1
      if (other === home || !south || !facing) continue
      const gap = h.y0 - o.y1
      if (gap < SUNLIGHT_RATIO * other.height - TOLERANCE) {
        out.push({
          code: 'sunlight',
          id: home.id,
          message: `${gap.toFixed(1)} m behind ${other.id} (${other.height} m tall)`,
        })
      }
    }
  }
}

function checkRoads(c: Community, out: Violation[]): void {
  if (!isConnected(c.roads))
    out.push({ code: 'road-disconnected', id: c.id, message: 'some road nodes cannot be reached' })
  const nodes = new Map(c.roads.nodes.map((n) => [n.id, n.position]))
  for (const e of c.roads.edges) {
    const from = nodes.get(e.from)
    const to = nodes.get(e.to)
    if (!from || !to) continue
    const length = polylineLength([from, ...e.via, to])
    if (Math.abs(length - e.length) > TOLERANCE)
      out.push({
        code: 'edge-length',
        id: e.id,
        message: `length ${e.length} but polyline ${length.toFixed(2)}`,
      })
  }
  for (const g of c.gates) {
    const node = nodes.get(g.nodeId)
    if (!node || Math.hypot(node[0] - g.position[0], node[1] - g.position[1]) > 1) {
      out.push({ code: 'gate-node', id: g.id, message: `node ${g.nodeId} is not at the gate` })
    }
    if (distanceToPolygonEdge(g.position, c.boundary) > 1)
      out.push({ code: 'gate-node', id: g.id, message: 'gate is not on the boundary wall' })
  }
}

function inside(p: Vec2, footprint: Polygon): boolean {
  return pointInPolygon(p, footprint)
}

/** A building's devices stand in its footprint; devices of the grounds stand in no building. */
function checkDevices(c: Community, out: Violation[]): void {
  const buildings = new Map(c.buildings.map((b) => [b.id, b]))
  const standing = aboveGround(c)
  for (const d of c.devices) {
    const p: Vec2 = [d.position[0], d.position[1]]
    const own = d.buildingId !== null ? buildings.get(d.buildingId) : undefined
    if (own) {
      if (!inside(p, own.footprint))
        out.push({ code: 'device-placement', id: d.id, message: `not inside its building ${own.id}` })
    } else if (d.position[2] >= 0) {
      const host = standing.find((b) => inside(p, b.footprint))
      if (host) out.push({ code: 'device-placement', id: d.id, message: `stands inside ${host.id}` })
    }
  }
}

/** Spatial violations of one community. */
export function spaceViolations(c: Community): Violation[] {
  const out: Violation[] = []
  checkInside(c, out)
  checkBuildings(c, out)
  checkSunlight(c, out)
  checkRoads(c, out)
  checkDevices(c, out)
  return out
}
