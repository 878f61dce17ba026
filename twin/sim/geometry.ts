/**
 * Plane geometry on plain numbers: the few predicates the world builder, the floor fields and the validation
 * checks share. Hot-path callers pass coordinates, never point objects, so nothing here allocates per call.
 */

/** A point as the scenario format writes it: [x, y] metres. */
export type Point = readonly [number, number]

/** A point as the scenario format's (mutable) JSON type. */
export type XY = [number, number]

/** Copies a polygon or polyline into the scenario format's JSON type. */
export function copyPoints(points: readonly Point[]): XY[] {
  return points.map((p) => [p[0], p[1]])
}

/** Squared distance from (px, py) to the segment (ax, ay)–(bx, by). */
export function segmentDistanceSq(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax
  const dy = by - ay
  const len2 = dx * dx + dy * dy
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0
  t = t < 0 ? 0 : t > 1 ? 1 : t
  const qx = ax + t * dx - px
  const qy = ay + t * dy - py
  return qx * qx + qy * qy
}

/** Whether (x, y) lies inside the polygon (even–odd rule; the boundary counts as either). */
export function pointInPolygon(x: number, y: number, polygon: readonly Point[]): boolean {
  let inside = false
  const n = polygon.length
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = polygon[i] as Point
    const b = polygon[j] as Point
    if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside
  }
  return inside
}

/** Whether the open segments p1–p2 and q1–q2 properly cross (touching at an end does not count). */
export function segmentsCross(
  p1x: number,
  p1y: number,
  p2x: number,
  p2y: number,
  q1x: number,
  q1y: number,
  q2x: number,
  q2y: number,
): boolean {
  const d1 = cross(q1x, q1y, q2x, q2y, p1x, p1y)
  const d2 = cross(q1x, q1y, q2x, q2y, p2x, p2y)
  const d3 = cross(p1x, p1y, p2x, p2y, q1x, q1y)
  const d4 = cross(p1x, p1y, p2x, p2y, q2x, q2y)
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
}

function cross(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
}

/** Axis-aligned bounds of a set of points. */
export interface Bounds {
  minX: number
  minY: number
  maxX: number
  maxY: number
}

/** An empty bounds value to grow with {@link growBounds}. */
export function emptyBounds(): Bounds {
  return { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity }
}

/** Grows `b` to include every point. */
export function growBounds(b: Bounds, points: readonly Point[]): Bounds {
  for (const [x, y] of points) {
    if (x < b.minX) b.minX = x
    if (y < b.minY) b.minY = y
    if (x > b.maxX) b.maxX = x
    if (y > b.maxY) b.maxY = y
  }
  return b
}

/** Signed area (positive when counter-clockwise). */
export function polygonArea(polygon: readonly Point[]): number {
  let s = 0
  const n = polygon.length
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = polygon[i] as Point
    const b = polygon[j] as Point
    s += (b[0] + a[0]) * (b[1] - a[1])
  }
  return -s / 2
}

/** The centroid of the polygon's vertices (good enough for the convex shapes exits and areas are). */
export function polygonCenter(polygon: readonly Point[]): [number, number] {
  let x = 0
  let y = 0
  for (const p of polygon) {
    x += p[0]
    y += p[1]
  }
  return [x / polygon.length, y / polygon.length]
}

/** Length of the polygon's longest edge: the default clear width of an exit drawn as a doorway box. */
export function longestEdge(polygon: readonly Point[]): number {
  let best = 0
  const n = polygon.length
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = polygon[i] as Point
    const b = polygon[j] as Point
    best = Math.max(best, Math.hypot(a[0] - b[0], a[1] - b[1]))
  }
  return best
}

/** An axis-aligned rectangle as a counter-clockwise polygon. */
export function rect(x0: number, y0: number, x1: number, y1: number): [number, number][] {
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ]
}
