/**
 * The saved description of a fleet model version (one per device kind): which catalog and window geometry made
 * its inputs, the horizon and RUL cap it was trained for, the alert policy calibrated for it, the anomaly
 * detector's threshold, and the training distribution of every input for drift monitoring. Scoring rebuilds the
 * inputs from this alone; nothing is refitted.
 */
import type { AlertPolicy } from './alert-policy.ts'
import type { WindowGeometry } from './window-features.ts'
import type { PredictiveKind } from '../telemetry/hourly-sql.ts'

/** Training distribution of one input: bin edges (deciles) and the share of training samples per bin. */
export interface InputDistribution {
  /** Inner bin edges, ascending (bins: (-inf, e0], (e0, e1], …, (e_last, inf)). */
  readonly edges: readonly number[]
  readonly shares: readonly number[]
}

export interface FleetSpec {
  readonly format: 'pdm-fleet-spec/1'
  readonly kind: PredictiveKind
  readonly catalogVersion: number
  /** Catalog feature names, in catalog order (the statistics whose inputs are 3 per feature). */
  readonly features: readonly string[]
  readonly inputNames: readonly string[]
  readonly geometry: WindowGeometry
  /** Hours a device must have reported in the last 24 h to be scored. */
  readonly minHours: number
  readonly horizonHours: number
  readonly rulCapHours: number
  readonly policy: AlertPolicy
  readonly anomaly: {
    /** Scores above this are anomalous (a training quantile). */
    readonly threshold: number
    readonly quantile: number
    /** Mean squared reconstruction error per input on the training samples. */
    readonly errorScale: readonly number[]
  }
  readonly drift: readonly InputDistribution[]
}

/** Deciles of `values[i * width + j]` over the samples, and the share of samples in each bin. */
export function inputDistributions(values: Float32Array, width: number, count: number): InputDistribution[] {
  const out: InputDistribution[] = []
  const column = new Float64Array(count)
  for (let j = 0; j < width; j++) {
    for (let i = 0; i < count; i++) column[i] = values[i * width + j]!
    const sorted = Float64Array.from(column).sort()
    const edges: number[] = []
    for (let q = 1; q < 10; q++) {
      const e = sorted[Math.min(count - 1, Math.floor((q / 10) * count))]!
      if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e)
    }
    out.push({ edges, shares: binShares(column, count, edges) })
  }
  return out
}

/** Share of `values[0..count)` in each bin of `edges` (a value equal to an edge falls in the lower bin). */
export function binShares(values: ArrayLike<number>, count: number, edges: readonly number[]): number[] {
  const counts = new Float64Array(edges.length + 1)
  for (let i = 0; i < count; i++) {
    const v = values[i]!
    let b = 0
    while (b < edges.length && v > edges[b]!) b++
    counts[b]!++
  }
  return Array.from(counts, (c) => (count > 0 ? c / count : 0))
}
