/**
 * Moves a finished community from the site frame (origin at the south-west corner) to the anchor frame (origin at
 * the geo anchor, the middle of the site), rounding every coordinate to the centimetre so output is compact and
 * stable. Edge lengths are recomputed from the rounded points so they equal the polyline length exactly.
 */
import type { Community, Polygon, Vec2, Vec3 } from './types.ts'
import { polylineLength } from './geometry.ts'

function cm(x: number): number {
  // `+ 0` turns -0 into 0, which JSON would otherwise print as 0 anyway, but tests compare with Object.is.
  return Math.round(x * 100) / 100 + 0
}

/** Shifts every coordinate of `c` by (dx, dy) and rounds to centimetres. */
export function shiftCommunity(c: Community, dx: number, dy: number): Community {
  const p = (v: Vec2): Vec2 => [cm(v[0] + dx), cm(v[1] + dy)]
  const poly = (g: Polygon): Polygon => g.map(p)
  const p3 = (v: Vec3): Vec3 => [cm(v[0] + dx), cm(v[1] + dy), cm(v[2])]
  const nodes = c.roads.nodes.map((n) => ({ ...n, position: p(n.position) }))
  const at = new Map(nodes.map((n) => [n.id, n.position]))
  return {
    ...c,
    boundary: poly(c.boundary),
    buildings: c.buildings.map((b) => ({ ...b, footprint: poly(b.footprint) })),
    roads: {
      nodes,
      edges: c.roads.edges.map((e) => {
        const via = e.via.map(p)
        const length = cm(polylineLength([at.get(e.from) as Vec2, ...via, at.get(e.to) as Vec2]))
        return { ...e, length, via }
      }),
    },
    gates: c.gates.map((g) => ({ ...g, position: p(g.position) })),
    parkingLots: c.parkingLots.map((l) => ({ ...l, polygon: poly(l.polygon) })),
    parkingSpaces: c.parkingSpaces.map((s) => ({ ...s, position: p(s.position) })),
    areas: c.areas.map((a) => ({ ...a, polygon: poly(a.polygon) })),
    devices: c.devices.map((d) => ({ ...d, position: p3(d.position) })),
  }
}
