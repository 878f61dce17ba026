/**
 * The key figures of a study's run, in the compact, JSON-safe form the planner stores and compares: density
 * heatmap frames as sparse people counts per grid cell, walking distances to facilities, gate queue waits,
 * parking occupancy and search time, evacuation time and bottleneck flows, and the flat list of figures that
 * two studies are compared by. Pure: no I/O, so it runs in the worker that ran the simulation.
 */
import type { FacilityAccess } from './access.ts'
import type { ComparisonRow, Figure } from './compare.ts'
import { compareFigures, keyFigures } from './compare.ts'
import type { FlowSummary, Heatmap } from './measurements.ts'
import type { SimResult } from './run.ts'
import { summarize } from './stats.ts'

/** Heatmap frames as people counts: each frame lists `[cell index, count, cell index, count, …]` (row-major). */
export interface CompactHeatmap {
  readonly originX: number
  readonly originY: number
  readonly cell: number
  readonly cols: number
  readonly rows: number
  /** Seconds between frames. */
  readonly interval: number
  /** Highest count in any cell of any frame. */
  readonly peak: number
  readonly frames: number[][]
}

/** Waits of one kind, s. */
export interface Waits {
  readonly n: number
  readonly p50: number
  readonly p95: number
}

/** The stored KPIs of one run. */
export interface ScenarioKpis {
  readonly name: string
  readonly people: number
  readonly arrived: number
  /** The last arrival, s (in an evacuation: the evacuation time). */
  readonly evacuationTime: number | null
  /** Walking trip durations, s. */
  readonly walkingTrip: Waits
  /** Walking distance from homes to the nearest facility of each kind, metres (null: none reachable). */
  readonly walkingDistance: {
    readonly kind: string
    readonly mean: number | null
    readonly p95: number | null
    readonly unreachable: number
  }[]
  /** Vehicles' waits at the gate barriers (both directions), null without vehicles. */
  readonly gateWait: Waits | null
  /** Per gate: vehicles' and walkers' waits (p95, s) and vehicles served. */
  readonly gates: {
    readonly id: string
    readonly vehicleOutP95: number | null
    readonly vehicleInP95: number | null
    readonly served: number | null
    readonly walkerOutP95: number | null
    readonly walkerInP95: number | null
  }[]
  readonly parking: {
    readonly searchTime: Waits
    readonly failedParks: number
    /** Seconds between occupancy samples. */
    readonly interval: number
    readonly lots: {
      readonly id: string
      readonly capacity: number
      readonly peakOccupancy: number
      /** Peak occupancy, % of capacity. */
      readonly peakShare: number
      readonly occupancy: number[]
    }[]
  } | null
  /** Flows through the counting lines (gate openings: the bottlenecks). */
  readonly flows: FlowSummary[]
  readonly heatmap: CompactHeatmap | null
  /** Every figure by metric, for comparisons. */
  readonly figures: ({ readonly metric: string } & Figure)[]
  readonly agentSteps: number
  readonly wallMs: number
}

/** At most this many heatmap frames are kept (longer runs keep every k-th frame). */
export const MAX_HEATMAP_FRAMES = 300

/** The KPIs of a run, with the walking distances of its (changed) community. */
export function scenarioKpis(result: SimResult, access: readonly FacilityAccess[]): ScenarioKpis {
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null)
  const walkingDistance = access.map((a) => ({
    kind: a.kind,
    mean: finite(a.mean),
    p95: finite(a.p95),
    unreachable: a.unreachable,
  }))
  const figures = keyFigures(result)
  for (const a of walkingDistance)
    figures.set(`walking distance to ${a.kind} mean`, { value: a.mean, unit: 'm', lowerIsBetter: true })
  const v = result.vehicles
  const walkers = new Map(result.gateQueues.map((g) => [g.id.replace(/^gate:/, ''), g]))
  const gateIds = [...new Set([...(v?.gates.map((g) => g.id) ?? []), ...walkers.keys()])].sort()
  const trips = summarize(result.arrivals.filter((a) => a.time !== null).map((a) => a.time! - a.start))
  return {
    name: result.name,
    people: result.total,
    arrived: result.arrived,
    evacuationTime: result.evacuationTime,
    walkingTrip: waits(trips),
    walkingDistance,
    gateWait: v ? waits(v.gateWait) : null,
    gates: gateIds.map((id) => {
      const g = v?.gates.find((x) => x.id === id)
      const w = walkers.get(id)
      return {
        id,
        vehicleOutP95: g ? g.outbound.p95 : null,
        vehicleInP95: g ? g.inbound.p95 : null,
        served: g ? g.served : null,
        walkerOutP95: w ? w.outbound.p95 : null,
        walkerInP95: w ? w.inbound.p95 : null,
      }
    }),
    parking: v
      ? {
          searchTime: waits(v.searchTime),
          failedParks: v.failedParks,
          interval: v.occupancyInterval,
          lots: v.parking.map((p) => ({
            id: p.id,
            capacity: p.capacity,
            peakOccupancy: p.peakOccupancy,
            peakShare: Math.round((p.peakOccupancy / Math.max(1, p.capacity)) * 1000) / 10,
            occupancy: [...p.occupancy],
          })),
        }
      : null,
    flows: [...result.flows],
    heatmap: result.heatmap ? compactHeatmap(result.heatmap) : null,
    figures: [...figures].map(([metric, f]) => ({ metric, ...f })),
    agentSteps: result.agentSteps,
    wallMs: result.wallMs,
  }
}

/** Density frames (persons/m²) as sparse people counts, at most {@link MAX_HEATMAP_FRAMES} frames. */
export function compactHeatmap(h: Heatmap): CompactHeatmap {
  const every = Math.max(1, Math.ceil(h.frames.length / MAX_HEATMAP_FRAMES))
  const area = h.cell * h.cell
  const frames: number[][] = []
  let peak = 0
  for (let f = 0; f < h.frames.length; f += every) {
    const src = h.frames[f]!
    const out: number[] = []
    for (let k = 0; k < src.length; k++) {
      const n = Math.round(src[k]! * area)
      if (n === 0) continue
      out.push(k, n)
      if (n > peak) peak = n
    }
    frames.push(out)
  }
  return {
    originX: h.originX,
    originY: h.originY,
    cell: h.cell,
    cols: h.cols,
    rows: h.rows,
    interval: h.interval * every,
    peak,
    frames,
  }
}

/** Two stored KPI sets side by side, metric by metric (b − a). */
export function compareKpis(a: ScenarioKpis, b: ScenarioKpis): ComparisonRow[] {
  const map = (k: ScenarioKpis): Map<string, Figure> =>
    new Map(
      k.figures.map((f) => [f.metric, { value: f.value, unit: f.unit, lowerIsBetter: f.lowerIsBetter }]),
    )
  return compareFigures(map(a), map(b))
}

function waits(s: { n: number; p50: number; p95: number }): Waits {
  return { n: s.n, p50: s.p50, p95: s.p95 }
}
