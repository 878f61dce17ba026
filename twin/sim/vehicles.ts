/**
 * The vehicle model: an event-driven simulation of trips over the road graph, with gates as multi-lane FIFO
 * servers (barrier service time per vehicle, visitors slower than residents) and parking lots with a finite
 * number of spaces, where the search time grows with occupancy and a full lot sends the driver on to the next.
 * Outputs: gate queue waits (p50/p95), parking occupancy over time, search times, failed parks.
 */
import { MinHeap } from './min-heap.ts'
import { RoadGraph } from './road-graph.ts'
import type { Scenario } from './scenario.ts'
import { summarize } from './stats.ts'
import type { GateSpec, LotSpec, VehicleTripSpec } from './vehicle-schema.ts'

/** Summary of waits or times. */
export interface Summary {
  readonly n: number
  readonly p50: number
  readonly p95: number
  readonly mean: number
  readonly max: number
}

/** What the vehicle model reports. */
export interface VehicleResult {
  readonly vehicles: number
  /** Queue waits at gates (both directions), s. */
  readonly gateWait: Summary
  readonly gates: readonly { id: string; inbound: Summary; outbound: Summary; served: number }[]
  readonly parking: readonly {
    id: string
    capacity: number
    peakOccupancy: number
    /** Occupancy (vehicles) every `interval` seconds from 0. */
    occupancy: number[]
  }[]
  readonly occupancyInterval: number
  /** Time from arriving at the first lot tried to parking, s (including driving on when it was full). */
  readonly searchTime: Summary
  /** Vehicles that found no space anywhere. */
  readonly failedParks: number
  /** Vehicles that could not reach their destination (closed gates, no road). */
  readonly unroutable: number
}

const ARRIVE_GATE = 0
const ARRIVE_LOT = 1
const ARRIVE_NODE = 2
const DEPART = 3
const LEAVE_LOT = 4
const LEAVE_NODE = 5

/** Simulates the scenario's vehicle trips. @throws RangeError naming a trip with an unknown place */
export function simulateVehicles(scenario: Scenario, occupancyInterval = 300): VehicleResult {
  if (!scenario.roads) throw new RangeError('vehicles need a road graph (scenario.roads)')
  const graph = new RoadGraph(scenario.roads)
  const gates = scenario.gates
  const lots = scenario.parking
  const trips = scenario.vehicles
  const gateOf = new Map(gates.map((g, i) => [g.id, i]))
  const lotOf = new Map(lots.map((l, i) => [l.id, i]))
  const nodeOf = (id: string, where: string): number => {
    const n = graph.nodeIndex.get(id)
    if (n === undefined) throw new RangeError(`${where}: unknown road node "${id}"`)
    return n
  }
  const gateNode = gates.map((g, i) => nodeOf(g.node, `gates[${i}].node`))
  const lotNode = lots.map((l, i) => nodeOf(l.node, `parking[${i}].node`))
  // Each gate direction is a FIFO with `lanes` servers: the next vehicle takes the lane that frees first.
  const laneFree = gates.map((g) => [new Float64Array(g.lanes), new Float64Array(g.lanes)] as const)
  const waits = gates.map(() => [[] as number[], [] as number[]] as const)
  const occupied = Int32Array.from(lots, (l) => Math.min(l.occupied, l.capacity))
  const horizon = Math.max(scenario.duration, ...trips.map((t) => t.depart))
  const slots = Math.floor(horizon / occupancyInterval) + 1
  const occSeries = lots.map(() => new Array<number>(slots).fill(-1))
  const peak = Int32Array.from(occupied)
  const search: number[] = []
  let failed = 0
  let unroutable = 0

  const heap = new MinHeap(Math.max(64, trips.length * 2))
  // Per trip state: where it is heading (event kind + index) and the time its search began.
  const kind = new Int8Array(trips.length)
  const place = new Int32Array(trips.length)
  const searchStart = new Float64Array(trips.length).fill(-1)
  const tried = trips.map(() => 0)
  const triedLots: Set<number>[] = trips.map(() => new Set())

  trips.forEach((t, v) => {
    kind[v] = DEPART
    heap.push(t.depart, v)
  })

  const recordOccupancy = (lot: number, time: number): void => {
    const s = occSeries[lot]!
    const k = Math.min(s.length - 1, Math.floor(time / occupancyInterval))
    s[k] = occupied[lot]!
    if (occupied[lot]! > peak[lot]!) peak[lot] = occupied[lot]!
  }

  /** Sends vehicle v from node `at` towards its destination, at time `t`. */
  const route = (v: number, at: number, t: number, to: VehicleTripSpec['to']): void => {
    const dests = typeof to === 'string' ? [to] : to
    let best = Infinity
    let bestKind = -1
    let bestPlace = -1
    for (const d of dests) {
      const g = gateOf.get(d)
      const l = lotOf.get(d)
      let node: number
      let k: number
      let p: number
      let extra = 0
      if (g !== undefined) {
        if (gates[g]!.closed) continue
        node = gateNode[g]!
        k = ARRIVE_GATE
        p = g
        extra = expectedWait(gates[g]!, laneFree[g]![1], t)
      } else if (l !== undefined) {
        node = lotNode[l]!
        k = ARRIVE_LOT
        p = l
      } else {
        node = graph.nodeIndex.get(d) ?? -1
        if (node < 0) throw new RangeError(`vehicles[${v}].to: unknown gate, lot or node "${d}"`)
        k = ARRIVE_NODE
        p = node
      }
      const time = graph.travelTime(at, node) + extra
      if (time < best) {
        best = time
        bestKind = k
        bestPlace = p
      }
    }
    // A trip to a closed gate falls back to the quickest open gate (the gate was closed by a layout change).
    if (bestKind < 0 && dests.some((d) => gateOf.has(d))) {
      gates.forEach((g, gi) => {
        if (g.closed) return
        const time = graph.travelTime(at, gateNode[gi]!)
        if (time < best) {
          best = time
          bestKind = ARRIVE_GATE
          bestPlace = gi
        }
      })
    }
    if (bestKind < 0 || best === Infinity) {
      unroutable++
      return
    }
    kind[v] = bestKind
    place[v] = bestPlace
    heap.push(t + best, v)
  }

  while (heap.size > 0) {
    const v = heap.pop()
    const t = heap.lastKey
    const trip = trips[v]!
    const k = kind[v]
    if (k === DEPART) {
      const g = gateOf.get(trip.from)
      const l = lotOf.get(trip.from)
      if (g !== undefined) {
        // Arriving from outside: queue at the gate's inbound lanes, then drive in.
        const gate = gates[g]!
        const start = serve(gate, laneFree[g]![0], t, trip.kind)
        waits[g]![0].push(start.wait)
        route(v, gateNode[g]!, start.done, trip.to)
      } else if (l !== undefined) {
        if (occupied[l]! > 0) occupied[l]!--
        recordOccupancy(l, t)
        route(v, lotNode[l]!, t, trip.to)
      } else route(v, nodeOf(trip.from, `vehicles[${v}].from`), t, trip.to)
    } else if (k === ARRIVE_NODE) {
      if (trip.then !== undefined) {
        kind[v] = LEAVE_NODE
        heap.push(t + trip.dwell, v)
      }
    } else if (k === LEAVE_NODE) {
      route(v, place[v]!, t, trip.then!)
    } else if (k === LEAVE_LOT) {
      const l = place[v]!
      if (occupied[l]! > 0) occupied[l]!--
      recordOccupancy(l, t)
      route(v, lotNode[l]!, t, trip.then!)
    } else if (k === ARRIVE_GATE) {
      const g = place[v]!
      const start = serve(gates[g]!, laneFree[g]![1], t, trip.kind)
      waits[g]![1].push(start.wait)
    } else if (k === ARRIVE_LOT) {
      const l = place[v]!
      const lot = lots[l]!
      if (searchStart[v]! < 0) searchStart[v] = t
      triedLots[v]!.add(l)
      tried[v]!++
      if (occupied[l]! < lot.capacity) {
        const s = searchDuration(lot, occupied[l]!)
        occupied[l]!++
        recordOccupancy(l, t)
        search.push(t + s - searchStart[v]!)
        if (trip.then !== undefined) {
          kind[v] = LEAVE_LOT
          heap.push(t + s + trip.dwell, v)
        }
      } else {
        // Full: drive on to the nearest lot not yet tried.
        let best = Infinity
        let next = -1
        lots.forEach((_, o) => {
          if (triedLots[v]!.has(o)) return
          const time = graph.travelTime(lotNode[l]!, lotNode[o]!)
          if (time < best) {
            best = time
            next = o
          }
        })
        if (next < 0 || best === Infinity) {
          // Nowhere to park: counted, and the driver leaves again (a visitor) or parks on the road.
          failed++
          search.push(t + lot.searchTime - searchStart[v]!)
          if (trip.then !== undefined) route(v, lotNode[l]!, t + lot.searchTime, trip.then)
        } else {
          place[v] = next
          heap.push(t + lot.searchTime + best, v)
        }
      }
    }
  }

  const allWaits: number[] = []
  for (const [a, b] of waits) allWaits.push(...a, ...b)
  return {
    vehicles: trips.length,
    gateWait: summarize(allWaits),
    gates: gates.map((g, i) => ({
      id: g.id,
      inbound: summarize(waits[i]![0]),
      outbound: summarize(waits[i]![1]),
      served: waits[i]![0].length + waits[i]![1].length,
    })),
    parking: lots.map((l, i) => ({
      id: l.id,
      capacity: l.capacity,
      peakOccupancy: peak[i]!,
      occupancy: fillForward(occSeries[i]!, Math.min(l.occupied, l.capacity)),
    })),
    occupancyInterval,
    searchTime: summarize(search),
    failedParks: failed,
    unroutable,
  }
}

/** Takes the lane that frees first; returns the queue wait and when the barrier lets the vehicle through. */
function serve(
  gate: GateSpec,
  lanes: Float64Array,
  t: number,
  kind: VehicleTripSpec['kind'],
): { wait: number; done: number } {
  if (!gate.barrier) return { wait: 0, done: t }
  let k = 0
  for (let j = 1; j < lanes.length; j++) if (lanes[j]! < lanes[k]!) k = j
  const start = Math.max(t, lanes[k]!)
  const service = kind === 'resident' ? gate.service : gate.visitorService
  lanes[k] = start + service
  return { wait: start - t, done: start + service }
}

/** The wait a vehicle arriving now would expect (for choosing between gates). */
function expectedWait(gate: GateSpec, lanes: Float64Array, t: number): number {
  if (!gate.barrier) return 0
  let free = Infinity
  for (let j = 0; j < lanes.length; j++) free = Math.min(free, lanes[j]!)
  return Math.max(0, free - t)
}

/**
 * Search time in a lot with `occupied` of its spaces taken: the empty-lot time divided by the share of spaces
 * free (a driver cruising past taken spaces), capped at ten times the base.
 */
export function searchDuration(lot: LotSpec, occupied: number): number {
  if (lot.capacity === 0) return lot.searchTime
  const free = Math.max(0.1, 1 - occupied / lot.capacity)
  return Math.min(10 * lot.searchTime, lot.searchTime / free)
}

function fillForward(series: number[], initial: number): number[] {
  let last = initial
  return series.map((x) => (x < 0 ? last : (last = x)))
}
