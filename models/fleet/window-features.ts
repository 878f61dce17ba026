/**
 * Model inputs of one device at one time T, from its hourly grid: every catalog statistic over the last 24 h and
 * the last 6 h and its change over two days, each expressed against THE DEVICE'S OWN normal range, so that two
 * lifts with different door operators (or pumps of different sizes) look alike when both are healthy.
 *
 * The normal range is robust and lagged: the median and MAD-based spread of the statistic's daily values over
 * [T − 21 d, T − 3 d]. The lag keeps a degradation of the last days out of its own reference; the median keeps a
 * slow one (the simulator's last up to 12 days) from dragging it far; 21 days cover a fortnightly maintenance
 * cycle (the door-lubrication saw-tooth) and several weather spells. Training and live scoring call this same
 * function on the same hourly aggregates.
 *
 * Inputs per statistic: z24 = (last 24 h − median) / spread, z6 for the last 6 h, trend = (last 24 h − the 24 h
 * two days earlier) / (2 · spread). Plus five context inputs: hours reported in the last 24 h, days of baseline
 * available, time since the last scheduled service (lubrication) as a fraction of the 15-day cycle, and the local
 * hour of day (sine, cosine) that the 6-hour window depends on.
 */
import { regressionColumns } from './catalog.ts'
import type { FeatureDef, RegressionDef } from './catalog.ts'
import { buildSeries, columnSum, presentHours, windowValue } from './series.ts'
import type { DeviceSeries, HourlyRow } from './series.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** China time, where the communities are: the day's rhythm follows local hours. */
const LOCAL_OFFSET_HOURS = 8
/** Context inputs after the per-statistic ones. */
const CONTEXT_INPUTS = 5

/** The window and baseline geometry; saved with a model and reused unchanged when scoring. */
export interface WindowGeometry {
  /** Main window, hours (24). */
  readonly longHours: number
  /** Recent window, hours (6). */
  readonly shortHours: number
  /** Trend: compare with the long window this many hours earlier (48). */
  readonly trendLagHours: number
  /** Baseline: daily blocks ending between `baselineLagDays` and `baselineDays` before T. */
  readonly baselineLagDays: number
  readonly baselineDays: number
  /** Fewest daily blocks that make a baseline; below it the statistic reads as "normal" (0). */
  readonly minBaselineDays: number
  /** Deviations are clipped to ±clip spreads. */
  readonly clip: number
}

export const DEFAULT_GEOMETRY: WindowGeometry = {
  longHours: 24,
  shortHours: 6,
  trendLagHours: 48,
  baselineLagDays: 3,
  baselineDays: 21,
  minBaselineDays: 6,
  clip: 12,
}

/** The names of the model inputs for a catalog, in input order. */
export function inputNames(catalog: readonly FeatureDef[]): string[] {
  const names: string[] = []
  for (const f of catalog) names.push(`${f.name}.z24`, `${f.name}.z6`, `${f.name}.trend`)
  names.push('coverage_24h', 'baseline_days', 'since_service', 'hour_sin', 'hour_cos')
  return names
}

/** Model inputs per sample for a catalog. */
export function inputWidth(catalog: readonly FeatureDef[]): number {
  return catalog.length * 3 + CONTEXT_INPUTS
}

/** Per-device hourly grids holding what `catalog` reads (its statistics and regression sums). */
export function catalogSeries(
  rows: readonly HourlyRow[],
  catalog: readonly FeatureDef[],
  until?: number,
): DeviceSeries[] {
  return buildSeries(
    rows,
    catalog.map((f) => f.stat),
    until,
    regressionColumns(catalog),
  )
}

/** One statistic of one sample in the device's units: recent value and the device's normal range. */
export interface RawReading {
  /** Last 24 h. */
  readonly value: number
  readonly median: number
  /** Robust spread (1.4826 · MAD, at least the catalog floor). */
  readonly spread: number
}

const scratch = new Float64Array(64)

function medianOf(values: Float64Array, n: number): number {
  const sorted = values.subarray(0, n).sort()
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2
}

/** A statistic's value over the hours [from, to), NaN when the window holds too little evidence. */
export type ValueFn = (from: number, to: number, minDen: number) => number

/** Median and spread of the daily values of a statistic in the baseline of T; days = blocks used. */
export function baselineOf(
  value: ValueFn,
  t: number,
  floor: number,
  minDen: number,
  g: WindowGeometry,
): { median: number; spread: number; days: number } {
  let n = 0
  for (let d = g.baselineLagDays; d < g.baselineDays && n < scratch.length; d++) {
    const end = t - d * DAY
    const x = value(end - DAY, end, minDen)
    if (Number.isFinite(x)) scratch[n++] = x
  }
  if (n < g.minBaselineDays) return { median: Number.NaN, spread: Number.NaN, days: n }
  const median = medianOf(scratch, n)
  for (let i = 0; i < n; i++) scratch[i] = Math.abs(scratch[i]! - median)
  const mad = medianOf(scratch, n)
  return { median, spread: Math.max(1.4826 * mad, floor), days: n }
}

/**
 * Solves the small symmetric system G β = c (Gaussian elimination, partial pivoting) with a relative ridge on
 * the diagonal; null when it is singular (e.g. a pump that ran at one duty point only).
 */
export function solveRidge(
  gram: readonly (readonly number[])[],
  c: readonly number[],
  ridge = 1e-6,
): number[] | null {
  const k = c.length
  const a = gram.map((row, i) => [...row.map((x, j) => (i === j ? x * (1 + ridge) + 1e-12 : x)), c[i]!])
  for (let col = 0; col < k; col++) {
    let pivot = col
    for (let r = col + 1; r < k; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r
    if (Math.abs(a[pivot]![col]!) < 1e-12) return null
    ;[a[col], a[pivot]] = [a[pivot]!, a[col]!]
    for (let r = 0; r < k; r++) {
      if (r === col) continue
      const factor = a[r]![col]! / a[col]![col]!
      for (let j = col; j <= k; j++) a[r]![j]! -= factor * a[col]![j]!
    }
  }
  return a.map((row, i) => row[k]! / row[i]!)
}

/** The residual value function of a regression feature, its fit made on the baseline of T. */
function regressionValueFn(series: DeviceSeries, reg: RegressionDef, t: number, g: WindowGeometry): ValueFn {
  const from = t - g.baselineDays * DAY
  const to = t - g.baselineLagDays * DAY
  const gram = reg.gram.map((row) => row.map((name) => columnSum(series, name, from, to)))
  const beta = solveRidge(
    gram,
    reg.cross.map((name) => columnSum(series, name, from, to)),
  )
  if (beta === null) return () => Number.NaN
  const basis = reg.gram[0]!
  return (a, b, minDen) => {
    if (columnSum(series, basis[0]!, a, b) < minDen) return Number.NaN
    const y = columnSum(series, reg.target, a, b)
    let fit = 0
    for (let i = 0; i < basis.length; i++) fit += beta[i]! * columnSum(series, basis[i]!, a, b)
    return y > 0 ? (100 * (y - fit)) / y : Number.NaN
  }
}

/** How to read feature `s` of the catalog from `series` around T. */
function valueFnOf(series: DeviceSeries, f: FeatureDef, s: number, t: number, g: WindowGeometry): ValueFn {
  if (f.regression) return regressionValueFn(series, f.regression, t, g)
  return (a, b, minDen) => windowValue(series, s, a, b, minDen)
}

function clipped(x: number, clip: number): number {
  if (!Number.isFinite(x)) return 0
  return x > clip ? clip : x < -clip ? -clip : x
}

/**
 * Writes the inputs of `series` at time `t` (exclusive end of the last full hour) into `out` at `offset`;
 * returns the hours reported in the last 24 h. With `raw`, also records each statistic's reading for evidence.
 */
export function writeInputs(
  series: DeviceSeries,
  catalog: readonly FeatureDef[],
  t: number,
  g: WindowGeometry,
  out: Float32Array,
  offset: number,
  raw?: RawReading[],
): number {
  let o = offset
  let baselineDays = 0
  for (let s = 0; s < catalog.length; s++) {
    const f = catalog[s]!
    const minDen = f.stat.minDen
    const value = valueFnOf(series, f, s, t, g)
    const base = baselineOf(value, t, f.floor, minDen, g)
    baselineDays = Math.max(baselineDays, base.days)
    const long = value(t - g.longHours * HOUR, t, minDen)
    // The short window needs proportionally less evidence.
    const short = value(t - g.shortHours * HOUR, t, (minDen * g.shortHours) / g.longHours)
    const lagEnd = t - g.trendLagHours * HOUR
    const earlier = value(lagEnd - g.longHours * HOUR, lagEnd, minDen)
    out[o++] = clipped((long - base.median) / base.spread, g.clip)
    out[o++] = clipped((short - base.median) / base.spread, g.clip)
    out[o++] = clipped((long - earlier) / (2 * base.spread), g.clip)
    raw?.push({ value: long, median: base.median, spread: base.spread })
  }
  const present = presentHours(series, t - g.longHours * HOUR, t)
  out[o++] = present / g.longHours
  out[o++] = baselineDays / (g.baselineDays - g.baselineLagDays)
  let lastService = Number.NEGATIVE_INFINITY
  for (const at of series.services) if (at < t) lastService = at
  out[o++] = Math.min(1, (t - lastService) / (15 * DAY))
  // The 6-hour window sees the time of day (cold nights, rush hours): the model needs to know which.
  const localHour = (((t / HOUR + LOCAL_OFFSET_HOURS) % 24) + 24) % 24
  out[o++] = Math.sin((2 * Math.PI * localHour) / 24)
  out[o] = Math.cos((2 * Math.PI * localHour) / 24)
  return present
}

/**
 * A device whose trend window (the last `trendLagHours + longHours`) holds a repair is not scored: its windows
 * still mix the failure with the repaired state, and the alert that led to the repair has been dealt with.
 */
export function justRepaired(series: DeviceSeries, t: number, g: WindowGeometry): boolean {
  const from = t - (g.trendLagHours + g.longHours) * HOUR
  for (const at of series.repairs) if (at >= from && at < t) return true
  return false
}

/** Samples of many devices at many times, row-major. */
export interface InputMatrix {
  readonly values: Float32Array
  readonly width: number
  readonly count: number
  /** Index into the series array, per sample. */
  readonly device: Int32Array
  /** T per sample, epoch ms. */
  readonly time: Float64Array
}

/**
 * Inputs for each (series, time) pair that had at least `minHours` hours reported in its last 24 h; pairs
 * without are skipped (a device that is silent, failed or under repair is not scored).
 */
export function buildInputs(
  series: readonly DeviceSeries[],
  catalog: readonly FeatureDef[],
  times: (s: DeviceSeries) => readonly number[],
  g: WindowGeometry = DEFAULT_GEOMETRY,
  minHours = 12,
): InputMatrix {
  const width = inputWidth(catalog)
  const pairs: [number, number][] = []
  for (let d = 0; d < series.length; d++) for (const t of times(series[d]!)) pairs.push([d, t])
  let values = new Float32Array(pairs.length * width)
  const device = new Int32Array(pairs.length)
  const time = new Float64Array(pairs.length)
  let n = 0
  for (const [d, t] of pairs) {
    if (justRepaired(series[d]!, t, g)) continue
    const present = writeInputs(series[d]!, catalog, t, g, values, n * width)
    if (present < minHours) continue
    device[n] = d
    time[n] = t
    n++
  }
  values = values.slice(0, n * width)
  return { values, width, count: n, device: device.slice(0, n), time: time.slice(0, n) }
}
