/**
 * Side-by-side comparison of two runs (a base layout and a variant): the planner's table of what changed —
 * walking trip times, evacuation time, peak density, gate waits, parking search and occupancy, bottleneck flows.
 */
import type { SimResult } from './run.ts'
import { summarize } from './stats.ts'

/** One compared figure. */
export interface ComparisonRow {
  readonly metric: string
  readonly unit: string
  readonly a: number | null
  readonly b: number | null
  /** b - a (null when either is missing). */
  readonly change: number | null
  /** Whether lower is better for this figure (for colouring a table). */
  readonly lowerIsBetter: boolean
}

/** The figures of one run by metric name. */
export function keyFigures(
  r: SimResult,
): Map<string, { value: number | null; unit: string; lowerIsBetter: boolean }> {
  const m = new Map<string, { value: number | null; unit: string; lowerIsBetter: boolean }>()
  const put = (metric: string, value: number | null, unit: string, lowerIsBetter = true): void =>
    void m.set(metric, { value, unit, lowerIsBetter })
  const trips = r.arrivals.filter((a) => a.time !== null).map((a) => a.time! - a.start)
  const t = summarize(trips)
  put('pedestrians arrived', r.arrived, 'people', false)
  put('pedestrians not arrived', r.total - r.arrived, 'people')
  put('walking trip p50', t.p50, 's')
  put('walking trip p95', t.p95, 's')
  put('evacuation time (last arrival)', r.evacuationTime, 's')
  if (r.heatmap) put('peak density', Math.round(r.heatmap.peak * 100) / 100, 'persons/m²')
  for (const f of r.flows) put(`flow ${f.id}`, Math.round(f.flow * 100) / 100, 'persons/s', false)
  for (const g of r.gateQueues) {
    put(`walkers' wait at ${g.id} going out p95`, g.outbound.p95, 's')
    put(`walkers' wait at ${g.id} coming in p95`, g.inbound.p95, 's')
  }
  const v = r.vehicles
  if (v) {
    put('gate wait p50', v.gateWait.p50, 's')
    put('gate wait p95', v.gateWait.p95, 's')
    for (const g of v.gates) {
      put(`gate ${g.id} outbound wait p95`, g.outbound.p95, 's')
      put(`gate ${g.id} inbound wait p95`, g.inbound.p95, 's')
    }
    put('parking search p50', v.searchTime.p50, 's')
    put('parking search p95', v.searchTime.p95, 's')
    put('failed parks', v.failedParks, 'vehicles')
    for (const p of v.parking)
      put(
        `parking ${p.id} peak occupancy`,
        Math.round((p.peakOccupancy / Math.max(1, p.capacity)) * 1000) / 10,
        '%',
      )
  }
  return m
}

/** One figure of a run. */
export interface Figure {
  readonly value: number | null
  readonly unit: string
  readonly lowerIsBetter: boolean
}

/** Compares two runs metric by metric (metrics of either run; missing ones as null). */
export function compareResults(a: SimResult, b: SimResult): ComparisonRow[] {
  return compareFigures(keyFigures(a), keyFigures(b))
}

/** Compares two sets of figures by metric name (stored results compare without their raw runs). */
export function compareFigures(
  fa: ReadonlyMap<string, Figure>,
  fb: ReadonlyMap<string, Figure>,
): ComparisonRow[] {
  const names = [...fa.keys(), ...[...fb.keys()].filter((k) => !fa.has(k))]
  return names.map((metric) => {
    const x = fa.get(metric)
    const y = fb.get(metric)
    const av = x?.value ?? null
    const bv = y?.value ?? null
    return {
      metric,
      unit: (x ?? y)!.unit,
      a: av,
      b: bv,
      change: av !== null && bv !== null ? Math.round((bv - av) * 100) / 100 : null,
      lowerIsBetter: (x ?? y)!.lowerIsBetter,
    }
  })
}
