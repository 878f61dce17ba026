/**
 * The road network for vehicles: nodes and edges with free-flow travel times, and shortest travel times between
 * nodes (Dijkstra, cached per origin). Vehicles move mesoscopically on it: no car-following inside a community,
 * where the delays that matter are at gates and in parking search.
 */
import { MinHeap } from './min-heap.ts'
import type { RoadsSpec } from './vehicle-schema.ts'

/** Default free speed on community roads, m/s (20 km/h). */
export const DEFAULT_ROAD_SPEED = 5.5

/** A road graph with travel-time queries. */
export class RoadGraph {
  readonly nodeIndex: ReadonlyMap<string, number>
  readonly nodeIds: readonly string[]
  private readonly adjStart: Int32Array
  private readonly adjTo: Int32Array
  private readonly adjTime: Float64Array
  private readonly cache = new Map<number, Float64Array>()

  /** @throws RangeError naming an edge whose end is not a node */
  constructor(roads: RoadsSpec) {
    const index = new Map<string, number>()
    roads.nodes.forEach((n, i) => index.set(n.id, i))
    this.nodeIndex = index
    this.nodeIds = roads.nodes.map((n) => n.id)
    const lists: { to: number; time: number }[][] = roads.nodes.map(() => [])
    roads.edges.forEach((e, k) => {
      const a = index.get(e.from)
      const b = index.get(e.to)
      if (a === undefined || b === undefined)
        throw new RangeError(`roads.edges[${k}]: unknown node "${a === undefined ? e.from : e.to}"`)
      const pa = roads.nodes[a]!.position
      const pb = roads.nodes[b]!.position
      const length = e.length ?? Math.hypot(pa[0] - pb[0], pa[1] - pb[1])
      const time = length / (e.speed ?? DEFAULT_ROAD_SPEED)
      lists[a]!.push({ to: b, time })
      if (!e.oneway) lists[b]!.push({ to: a, time })
    })
    this.adjStart = new Int32Array(lists.length + 1)
    let total = 0
    lists.forEach((l, i) => {
      this.adjStart[i] = total
      total += l.length
    })
    this.adjStart[lists.length] = total
    this.adjTo = new Int32Array(total)
    this.adjTime = new Float64Array(total)
    lists.forEach((l, i) =>
      l.forEach((e, k) => {
        this.adjTo[this.adjStart[i]! + k] = e.to
        this.adjTime[this.adjStart[i]! + k] = e.time
      }),
    )
  }

  /** Free-flow travel time from node `a` to node `b`, s (Infinity when unreachable). */
  travelTime(a: number, b: number): number {
    return this.from(a)[b]!
  }

  /** Travel times from node `a` to every node. */
  from(a: number): Float64Array {
    let d = this.cache.get(a)
    if (d) return d
    d = new Float64Array(this.nodeIds.length).fill(Infinity)
    const heap = new MinHeap(64)
    d[a] = 0
    heap.push(0, a)
    while (heap.size > 0) {
      const u = heap.pop()
      const du = heap.lastKey
      if (du > d[u]!) continue
      for (let k = this.adjStart[u]!; k < this.adjStart[u + 1]!; k++) {
        const v = this.adjTo[k]!
        const t = du + this.adjTime[k]!
        if (t < d[v]!) {
          d[v] = t
          heap.push(t, v)
        }
      }
    }
    this.cache.set(a, d)
    return d
  }
}
