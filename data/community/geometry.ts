/**
 * Plane geometry in the community's local frame (metres, x east, y north): the few exact predicates the generator
 * and its invariants need, and that other areas (the twin, the planner) can reuse on the same polygons.
 */
import type { Polygon, Vec2 } from './types.ts'

/** An axis-aligned rectangle: x0 < x1, y0 < y1. */
export interface Rect {
  readonly x0: number
  readonly y0: number
  readonly x1: number
  readonly y1: number
}

const EPS = 1e-9

/** The counter-clockwise polygon of a rectangle. */
export function rectPolygon(r: Rect): Polygon {
  return [
    [r.x0, r.y0],
    [r.x1, r.y0],
    [r.x1, r.y1],
    [r.x0, r.y1],
  ]
}

/** Whether two rectangles share interior area (touching edges do not count). */
export function rectsOverlap(a: Rect, b: Rect): boolean {
  return a.x0 < b.x1 - EPS && b.x0 < a.x1 - EPS && a.y0 < b.y1 - EPS && b.y0 < a.y1 - EPS
}

/** The axis-aligned bounding box of a polygon or polyline. */
export function boundsOf(points: readonly Vec2[]): Rect {
  let x0 = Infinity
  let y0 = Infinity
  let x1 = -Infinity
  let y1 = -Infinity
  for (const [x, y] of points) {
    if (x < x0) x0 = x
    if (y < y0) y0 = y
    if (x > x1) x1 = x
    if (y > y1) y1 = y
  }
  return { x0, y0, x1, y1 }
}

/** Shoelace area: positive when the polygon winds counter-clockwise. */
export function polygonSignedArea(polygon: Polygon): number {
  let twice = 0
  for (let i = 0; i < polygon.length; i++) {
    const [x0, y0] = polygon[i] as Vec2
    const [x1, y1] = polygon[(i + 1) % polygon.length] as Vec2
    twice += x0 * y1 - x1 * y0
  }
  return twice / 2
}

/** Area of a simple polygon, square metres. */
export function polygonArea(polygon: Polygon): number {
  return Math.abs(polygonSignedArea(polygon))
}

/** The area centroid of a simple polygon (the vertex mean for degenerate ones). */
export function polygonCentroid(polygon: Polygon): Vec2 {
  const a = polygonSignedArea(polygon)
  if (Math.abs(a) < EPS) {
    let sx = 0
    let sy = 0
    for (const [x, y] of polygon) {
      sx += x
      sy += y
    }
    return [sx / polygon.length, sy / polygon.length]
  }
  let cx = 0
  let cy = 0
  for (let i = 0; i < polygon.length; i++) {
    const [x0, y0] = polygon[i] as Vec2
    const [x1, y1] = polygon[(i + 1) % polygon.length] as Vec2
    const cross = x0 * y1 - x1 * y0
    cx += (x0 + x1) * cross
    cy += (y0 + y1) * cross
  }
  return [cx / (6 * a), cy / (6 * a)]
}

/** Even-odd ray casting. Points exactly on an edge may go either way; use `distanceToPolygonEdge` to tell. */
export function pointInPolygon(point: Vec2, polygon: Polygon): boolean {
  const [px, py] = point
  let inside = false
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] as Vec2
    const [xj, yj] = polygon[j] as Vec2
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Distance from a point to the segment ab. */
export function distanceToSegment(p: Vec2, a: Vec2, b: Vec2): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const len2 = dx * dx + dy * dy
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2))
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))
}

/** Distance from a point to the nearest edge of a polygon (0 on the edge). */
export function distanceToPolygonEdge(p: Vec2, polygon: Polygon): number {
  let best = Infinity
  for (let i = 0; i < polygon.length; i++) {
    const d = distanceToSegment(p, polygon[i] as Vec2, polygon[(i + 1) % polygon.length] as Vec2)
    if (d < best) best = d
  }
  return best
}

/** Inside and not on an edge (within `tolerance`). */
export function pointStrictlyInPolygon(p: Vec2, polygon: Polygon, tolerance = 1e-6): boolean {
  return pointInPolygon(p, polygon) && distanceToPolygonEdge(p, polygon) > tolerance
}

function orient(a: Vec2, b: Vec2, c: Vec2): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
}

/** Whether segments ab and cd cross at a single interior point (touching and collinear overlap do not count). */
export function segmentsCross(a: Vec2, b: Vec2, c: Vec2, d: Vec2): boolean {
  const o1 = orient(a, b, c)
  const o2 = orient(a, b, d)
  const o3 = orient(c, d, a)
  const o4 = orient(c, d, b)
  return (
    ((o1 > EPS && o2 < -EPS) || (o1 < -EPS && o2 > EPS)) &&
    ((o3 > EPS && o4 < -EPS) || (o3 < -EPS && o4 > EPS))
  )
}

/** Distance between segments ab and cd (0 when they cross). */
export function segmentDistance(a: Vec2, b: Vec2, c: Vec2, d: Vec2): number {
  if (segmentsCross(a, b, c, d)) return 0
  return Math.min(
    distanceToSegment(a, c, d),
    distanceToSegment(b, c, d),
    distanceToSegment(c, a, b),
    distanceToSegment(d, a, b),
  )
}

/**
 * Whether the interiors of two simple polygons intersect. Shared edges and corners do not count, so buildings
 * that merely touch are not reported as overlapping.
 */
export function polygonsOverlap(a: Polygon, b: Polygon): boolean {
  const ba = boundsOf(a)
  const bb = boundsOf(b)
  if (!rectsOverlap(ba, bb)) return false
  for (let i = 0; i < a.length; i++) {
    const a0 = a[i] as Vec2
    const a1 = a[(i + 1) % a.length] as Vec2
    for (let j = 0; j < b.length; j++) {
      if (segmentsCross(a0, a1, b[j] as Vec2, b[(j + 1) % b.length] as Vec2)) return true
    }
  }
  // No proper crossing: either one contains the other, they only touch, or they coincide. Probe vertices, edge
  // midpoints and centroids, which covers all three for simple polygons.
  return (
    probes(a).some((p) => pointStrictlyInPolygon(p, b)) || probes(b).some((p) => pointStrictlyInPolygon(p, a))
  )
}

function probes(polygon: Polygon): Vec2[] {
  const out: Vec2[] = [polygonCentroid(polygon)]
  for (let i = 0; i < polygon.length; i++) {
    const p = polygon[i] as Vec2
    const q = polygon[(i + 1) % polygon.length] as Vec2
    out.push(p, [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2])
  }
  return out
}

/**
 * The smallest distance between a polyline and a polygon's area: 0 when the line enters the polygon. Used to
 * check that a road of width w keeps w/2 clear of a building.
 */
export function polylineClearance(line: readonly Vec2[], polygon: Polygon): number {
  if (line.some((p) => pointInPolygon(p, polygon))) return 0
  let best = Infinity
  for (let i = 0; i + 1 < line.length; i++) {
    for (let j = 0; j < polygon.length; j++) {
      const d = segmentDistance(
        line[i] as Vec2,
        line[i + 1] as Vec2,
        polygon[j] as Vec2,
        polygon[(j + 1) % polygon.length] as Vec2,
      )
      if (d < best) best = d
    }
  }
  return best
}

/** Total length of a polyline, metres. */
export function polylineLength(points: readonly Vec2[]): number {
  let total = 0
  for (let i = 0; i + 1 < points.length; i++) {
    const [x0, y0] = points[i] as Vec2
    const [x1, y1] = points[i + 1] as Vec2
    total += Math.hypot(x1 - x0, y1 - y0)
  }
  return total
}

/** The point at arc length `s` along a polyline, with the unit direction of the segment it lies on. */
export function pointAlong(points: readonly Vec2[], s: number): { point: Vec2; dir: Vec2 } {
  let rest = s
  for (let i = 0; i + 1 < points.length; i++) {
    const [x0, y0] = points[i] as Vec2
    const [x1, y1] = points[i + 1] as Vec2
    const len = Math.hypot(x1 - x0, y1 - y0)
    if (len === 0) continue
    if (rest <= len || i + 2 === points.length) {
      const t = Math.min(1, Math.max(0, rest / len))
      return { point: [x0 + t * (x1 - x0), y0 + t * (y1 - y0)], dir: [(x1 - x0) / len, (y1 - y0) / len] }
    }
    rest -= len
  }
  const only = points[0] ?? [0, 0]
  return { point: only, dir: [1, 0] }
}

/** Where `p` projects onto a polyline: arc length from the start and distance off the line. */
export function projectOnPolyline(points: readonly Vec2[], p: Vec2): { s: number; offset: number } {
  let best = { s: 0, offset: Infinity }
  let walked = 0
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] as Vec2
    const b = points[i + 1] as Vec2
    const dx = b[0] - a[0]
    const dy = b[1] - a[1]
    const len = Math.hypot(dx, dy)
    const t =
      len === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (len * len)))
    const offset = Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))
    if (offset < best.offset - 1e-9) best = { s: walked + t * len, offset }
    walked += len
  }
  return best
}
