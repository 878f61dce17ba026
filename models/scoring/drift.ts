/**
 * Drift monitoring of a served model version (issue 7, item 5): how far the inputs it has scored lately have moved
 * from the inputs it was trained on, and how its alert rate compares with the rate measured at validation.
 *
 * Input drift is the population stability index (PSI) of each input over the training deciles saved in the model's
 * spec: PSI = Σ (a − e)·ln(a / e) over the bins, e the training share and a the recent share (both floored at
 * 1e-4 so an empty bin does not make it infinite). The usual reading: < 0.1 stable, 0.1–0.25 moderate, > 0.25
 * significant (the model sees inputs it was not trained on; retrain or look at the sensors).
 */
import { binShares, type FleetSpec } from '../fleet/spec.ts'
import type { PredictiveKind } from '../telemetry/hourly-sql.ts'

export type DriftLevel = 'stable' | 'moderate' | 'significant'

export interface InputDrift {
  readonly input: string
  readonly psi: number
  readonly level: DriftLevel
}

export interface DriftReport {
  readonly kind: PredictiveKind
  readonly model: string
  readonly version: string
  /** Scoring runs the recent inputs come from, and device scores in them. */
  readonly runs: number
  readonly samples: number
  /** The worst input's level (stable when there are no recent samples to judge). */
  readonly level: DriftLevel
  readonly maxPsi: number
  /** Every input, most drifted first. */
  readonly inputs: readonly InputDrift[]
  readonly alertRate: {
    /** Over the version's whole service: runs, device-days scored, alerts raised. */
    readonly runs: number
    readonly deviceDays: number
    readonly alerts: number
    readonly per100DeviceDays: number | null
    /** Alerts per 100 device-days at validation (from the version's metrics), for comparison. */
    readonly validationPer100DeviceDays: number | null
    readonly since: number | null
    readonly until: number | null
  }
}

const FLOOR = 1e-4

/** Population stability index of `actual` shares against `expected` shares (same bins). */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length) throw new Error('psi: the two distributions have different bins')
  let sum = 0
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(FLOOR, expected[i]!)
    const a = Math.max(FLOOR, actual[i]!)
    sum += (a - e) * Math.log(a / e)
  }
  return sum
}

export function driftLevel(value: number): DriftLevel {
  return value > 0.25 ? 'significant' : value >= 0.1 ? 'moderate' : 'stable'
}

/** Per-input PSI of recent row-major inputs (`count` rows of the spec's width) against the training deciles. */
export function inputDrift(spec: FleetSpec, values: Float32Array, count: number): InputDrift[] {
  const width = spec.inputNames.length
  if (count > 0 && values.length !== count * width)
    throw new Error(`drift: expected ${count} × ${width} inputs, got ${values.length} values`)
  const column = new Float64Array(count)
  const out: InputDrift[] = []
  spec.drift.forEach((training, j) => {
    for (let i = 0; i < count; i++) column[i] = values[i * width + j]!
    const value = count > 0 ? psi(training.shares, binShares(column, count, training.edges)) : 0
    out.push({
      input: spec.inputNames[j] ?? `input_${j}`,
      psi: Math.round(value * 1e4) / 1e4,
      level: driftLevel(value),
    })
  })
  return out.sort((a, b) => b.psi - a.psi || a.input.localeCompare(b.input))
}

/** Validation alerts per 100 device-days from a version's metrics.json, when it recorded them. */
export function validationAlertRate(metrics: Readonly<Record<string, unknown>>): number | null {
  const v = metrics.validation as { alerts?: unknown; deviceDays?: unknown } | undefined
  if (typeof v?.alerts !== 'number' || typeof v.deviceDays !== 'number' || v.deviceDays <= 0) return null
  return Math.round(((100 * v.alerts) / v.deviceDays) * 1000) / 1000
}
