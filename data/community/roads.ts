/**
 * Turns the layout's road lines into the public road graph: each line is split at its stops (junctions, doors,
 * lot entrances) into edges; bends between stops become the edge's `via` points. Points that coincide (to the
 * centimetre) become one node, which is what joins a branch road to the ring or a footpath to a branch.
 */
import type { RoadEdge, RoadGraph, RoadNode, Vec2 } from './types.ts'
import type { RoadLine } from './site.ts'
import { polylineLength, projectOnPolyline } from './geometry.ts'

export interface RoadNetwork {
  readonly graph: RoadGraph
  /** The node at a registered point (a line end or stop). Throws for a point no line was given. */
  readonly nodeAt: (point: Vec2) => string
}

/** Stops farther than this off their line are a layout bug, not something to snap silently. */
const MAX_STOP_OFFSET = 0.05
const SAME = 0.01

function key(p: Vec2): string {
  return `${Math.round(p[0] * 100)},${Math.round(p[1] * 100)}`
}

function cumulative(points: readonly Vec2[]): number[] {
  const out = [0]
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as Vec2
    const b = points[i] as Vec2
    out.push((out[i - 1] as number) + Math.hypot(b[0] - a[0], b[1] - a[1]))
  }
  return out
}

/** Builds the graph; node and edge ids are `{communityId}-n0001` and `{communityId}-e0001` in creation order. */
export function buildRoadGraph(lines: readonly RoadLine[], communityId: string): RoadNetwork {
  const nodes: RoadNode[] = []
  const edges: RoadEdge[] = []
  const byKey = new Map<string, string>()
  const node = (p: Vec2): string => {
    const k = key(p)
    let id = byKey.get(k)
    if (id === undefined) {
      id = `${communityId}-n${String(nodes.length + 1).padStart(4, '0')}`
      nodes.push({ id, position: p })
      byKey.set(k, id)
    }
    return id
  }

  for (const line of lines) {
    const pts = line.points
    const cum = cumulative(pts)
    const total = cum[cum.length - 1] as number
    const marks: { s: number; p: Vec2 }[] = [
      { s: 0, p: pts[0] as Vec2 },
      { s: total, p: pts[pts.length - 1] as Vec2 },
    ]
    for (const stop of line.stops) {
      const { s, offset } = projectOnPolyline(pts, stop)
      if (offset > MAX_STOP_OFFSET)
        throw new Error(`stop (${stop.join(', ')}) is ${offset.toFixed(2)} m off a ${line.kind} road`)
      marks.push({ s, p: stop })
    }
    marks.sort((a, b) => a.s - b.s)
    const kept = marks.filter((m, i) => i === 0 || m.s - (marks[i - 1] as { s: number }).s > SAME)
    // The last mark may have been dropped as a near-duplicate of a stop; the line must still end at its end.
    const lastKept = kept[kept.length - 1] as { s: number; p: Vec2 }
    if (total - lastKept.s <= SAME) kept[kept.length - 1] = { s: total, p: pts[pts.length - 1] as Vec2 }

    for (let i = 0; i + 1 < kept.length; i++) {
      const a = kept[i] as { s: number; p: Vec2 }
      const b = kept[i + 1] as { s: number; p: Vec2 }
      const via = pts.filter((_, j) => (cum[j] as number) > a.s + SAME && (cum[j] as number) < b.s - SAME)
      const from = node(a.p)
      const to = node(b.p)
      if (from === to) continue
      edges.push({
        id: `${communityId}-e${String(edges.length + 1).padStart(4, '0')}`,
        from,
        to,
        width: line.width,
        kind: line.kind,
        length: polylineLength([a.p, ...via, b.p]),
        via,
      })
    }
  }

  return {
    graph: { nodes, edges },
    nodeAt: (point) => {
      const id = byKey.get(key(point))
      if (id === undefined) throw new Error(`no road node at (${point.join(', ')})`)
      return id
    },
  }
}

/** Whether every node can be reached from every other (edges are two-way). */
export function isConnected(graph: RoadGraph): boolean {
  if (graph.nodes.length === 0) return true
  const adjacent = new Map<string, string[]>()
  for (const n of graph.nodes) adjacent.set(n.id, [])
  for (const e of graph.edges) {
    adjacent.get(e.from)?.push(e.to)
    adjacent.get(e.to)?.push(e.from)
  }
  const start = (graph.nodes[0] as RoadNode).id
  const seen = new Set([start])
  const stack = [start]
  while (stack.length > 0) {
    for (const next of adjacent.get(stack.pop() as string) ?? []) {
      if (!seen.has(next)) {
        seen.add(next)
        stack.push(next)
      }
    }
  }
  return seen.size === graph.nodes.length
}
